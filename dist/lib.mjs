import {
  run,
  schema,
  start,
  validate
} from "./shared-YWMMRNO4.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
