import {
  run,
  schema,
  start,
  validate
} from "./shared-MDNJ55OB.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
