import {
  start
} from "./run-MIWJRYET.mjs";

// action/main.mjs
start("main");
