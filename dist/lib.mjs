import {
  run,
  schema,
  start,
  validate
} from "./shared-MTYGRP4H.mjs";
export {
  run as deliver,
  run,
  schema,
  start,
  validate
};
