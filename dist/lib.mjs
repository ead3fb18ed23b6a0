import {
  run,
  schema,
  start,
  validate
} from "./shared-K4OT6JGR.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
