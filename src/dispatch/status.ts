/** What a subscriber says about a message it processed. */
export enum ProcessStatus {
  /** Processed; the message may be deleted. The default when `process` returns nothing. */
  DONE = 'DONE',
  /** Not ready yet; leave the message for a later delivery. Not an error. */
  RETRY_LATER = 'RETRY_LATER',
  /** Failed for good; the message may be deleted. The default for a thrown error. */
  FATAL_ERROR = 'FATAL_ERROR',
  /** Failed for now; leave the message for a later delivery. */
  RETRIABLE_ERROR = 'RETRIABLE_ERROR',
}
