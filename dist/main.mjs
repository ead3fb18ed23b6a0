import {
  start
} from "./shared-XIJFUFFD.mjs";
import "./shared-DSGVKK6L.mjs";

// action/main.mjs
start("main");
