import {
  run,
  schema,
  start,
  validate
} from "./shared-TGF5FOZY.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
