import {
  start
} from "./shared-PAOC3HDL.mjs";
import "./shared-3I3TLNXV.mjs";
import "./shared-DSGVKK6L.mjs";

// action/main.mjs
start("main");
