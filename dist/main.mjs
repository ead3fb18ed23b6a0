import {
  start
} from "./run-DJJR2XKK.mjs";

// action/main.mjs
start("main");
