import {
  run,
  schema,
  start,
  validate
} from "./shared-GVYMTWVN.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
