// `sqs-mega/testing`: test subscribers without a bus.
export {};
