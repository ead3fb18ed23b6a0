import {
  run,
  schema,
  start,
  validate
} from "./shared-TDSMDBII.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
