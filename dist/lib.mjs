import {
  run,
  schema,
  start
} from "./shared-6BSSXFQQ.mjs";
import {
  validate
} from "./shared-DSGVKK6L.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
