/**
 * The work queue lives in src/queue/ (in-process and BullMQ back ends); the
 * abort reasons a job sees are re-exported here for the check job.
 */
export { abortReason, type AbortReason } from "../queue/job.js";
