export { Trainer, type Emit, type TrainerOptions, type TrainingSummary } from './trainer';
