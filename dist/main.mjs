import {
  start
} from "./shared-I6PUX6T7.mjs";
import "./shared-3I3TLNXV.mjs";
import "./shared-DSGVKK6L.mjs";

// action/main.mjs
start("main");
