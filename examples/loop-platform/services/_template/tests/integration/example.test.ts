import { it } from "vitest";

it.todo("replace me");
