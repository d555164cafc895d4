import { runConformance } from "@platform/conformance";
import app from "../../src/index";

runConformance(app, { service: "billing-ledger" });
