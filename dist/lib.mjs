import {
  run,
  schema,
  start,
  validate
} from "./shared-SSBFNGEN.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
