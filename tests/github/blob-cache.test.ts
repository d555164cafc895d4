import { expect, test } from "vitest";
import { BlobCache } from "../../src/github/blob-cache.js";

test("evicts the least recently used blobs once over its size", () => {
  const cache = new BlobCache(40); // 20 characters
  cache.set("a", "aaaaaaaaaa");
  cache.set("b", "bbbbbbbbbb");
  expect(cache.get("a")).toBe("aaaaaaaaaa"); // a is now the most recent
  cache.set("c", "cccccccccc");
  expect(cache.get("b")).toBeUndefined();
  expect(cache.get("a")).toBe("aaaaaaaaaa");
  expect(cache.get("c")).toBe("cccccccccc");
  expect(cache.totalBytes).toBe(40);
});

test("never caches something larger than the whole cache, and replacing an entry keeps the size right", () => {
  const cache = new BlobCache(10);
  cache.set("big", "x".repeat(6));
  expect(cache.size).toBe(0);
  cache.set("a", "aa");
  cache.set("a", "a");
  expect(cache.totalBytes).toBe(2);
});
