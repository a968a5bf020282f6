// On-device memory snapshot of the booted runtime (hosted route only; see README.md).
//
// After a normal boot has imported the calculator and loaded the profiles, the worker copies the
// interpreter's memory (Pyodide's makeMemorySnapshot) into IndexedDB. A later visit restores it
// (loadPyodide's _loadSnapshot) instead of starting Python again. Both options are Pyodide's private
// API: builder/runtime/package.py checks the pinned runtime's shape at build time, and every failure
// here ends in a normal boot, never in a broken calculator.
//
// The stored record is {key, blob, sha256, heapBytes, setup, bytes, made}:
//   key    the build's snapshot key: it changes with the runtime, the calculator package and
//          this worker's code, so a rebuild of any of them never restores an old state (the
//          profiles are compared through the setup calls, see core.js);
//   blob   the Pyodide snapshot with its all-zero 4 KiB blocks left out (a booted heap is two
//          thirds zeros: about 31 MB -> 11 MB). gzip (CompressionStream) makes it 4 MB but takes
//          longer to undo than the whole restore, so it is not used;
//   sha256 over the key, the heap size, the setup log and the blob together (recordDigest), checked
//          before use (the hash runs off the worker's thread): a truncated or changed setup answer
//          is as damaged as a changed blob;
//   setup  the last "setup" call per function and its answer (see core.js).
// A record of another build, or a damaged one, is deleted. One this device could not restore (a
// restore that throws, too little memory) is replaced by a marker that stops further tries for this
// build: {key, refused}.
"use strict";

const SNAPSHOT_DB = "shebao-calculator";
const SNAPSHOT_STORE = "snapshots";
const SNAPSHOT_ID = "runtime";
const SNAPSHOT_MAGIC = 0x31534253;         // "SBS1", little-endian
const SNAPSHOT_BLOCK = 4096;
const SNAPSHOT_HEADER = 16;                // magic, full length, block size, blocks
const SNAPSHOT_MAX_HEAP = 1 << 30;         // a larger figure can only come from a damaged record
// Devices reporting less memory (navigator.deviceMemory, GiB) keep the normal boot: making a
// snapshot holds two more copies of the heap for a moment.
const SNAPSHOT_MIN_DEVICE_GIB = 1;

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

// One digest over everything a restore relies on. The setup log is hashed as JSON text: IndexedDB
// keeps an object's key order, so the same log gives the same text.
function recordDigest(key, heapBytes, setup, blobBytes) {
  const head = new TextEncoder().encode(JSON.stringify([key, heapBytes, setup === undefined ? null : setup]) + "\n");
  const all = new Uint8Array(head.length + blobBytes.length);
  all.set(head, 0);
  all.set(blobBytes, head.length);
  return sha256Hex(all);
}

function encodeSnapshot(full) {
  const blocks = Math.ceil(full.length / SNAPSHOT_BLOCK);
  const words = new Uint32Array(full.buffer, full.byteOffset, full.length >>> 2);
  const kept = [];
  for (let i = 0; i < blocks; i++) {
    const end = Math.min((i + 1) * SNAPSHOT_BLOCK, full.length) >>> 2;
    for (let j = (i * SNAPSHOT_BLOCK) >>> 2; j < end; j++) {
      if (words[j] !== 0) { kept.push(i); break; }
    }
  }
  const bitmap = (blocks + 3) & ~3;
  let size = SNAPSHOT_HEADER + bitmap;
  for (const i of kept) size += Math.min(SNAPSHOT_BLOCK, full.length - i * SNAPSHOT_BLOCK);
  const out = new Uint8Array(size);
  new Uint32Array(out.buffer, 0, SNAPSHOT_HEADER >>> 2).set([SNAPSHOT_MAGIC, full.length, SNAPSHOT_BLOCK, blocks]);
  let at = SNAPSHOT_HEADER + bitmap;
  for (const i of kept) {
    out[SNAPSHOT_HEADER + i] = 1;
    const block = full.subarray(i * SNAPSHOT_BLOCK, Math.min((i + 1) * SNAPSHOT_BLOCK, full.length));
    out.set(block, at);
    at += block.length;
  }
  return out;
}

// The full Pyodide snapshot back from a stored payload; throws on any inconsistency.
function decodeSnapshot(stored) {
  if (stored.length < SNAPSHOT_HEADER) throw new Error("snapshot record is truncated");
  const [magic, length, block, blocks] = new Uint32Array(stored.buffer, stored.byteOffset, SNAPSHOT_HEADER >>> 2);
  if (magic !== SNAPSHOT_MAGIC || block !== SNAPSHOT_BLOCK || blocks !== Math.ceil(length / block)
      || length > SNAPSHOT_MAX_HEAP || length % 4) {
    throw new Error("snapshot record has a bad header");
  }
  const full = new Uint8Array(length);       // RangeError where memory is short: a normal boot follows
  let at = SNAPSHOT_HEADER + ((blocks + 3) & ~3);
  for (let i = 0; i < blocks; i++) {
    if (!stored[SNAPSHOT_HEADER + i]) continue;
    const n = Math.min(block, length - i * block);
    if (at + n > stored.length) throw new Error("snapshot record is truncated");
    full.set(stored.subarray(at, at + n), i * block);
    at += n;
  }
  if (at !== stored.length) throw new Error("snapshot record has trailing bytes");
  return full;
}

// Pyodide's own header: word 1 is where the heap starts; the rest is the heap.
function snapshotHeapBytes(full) {
  const heapStart = new Uint32Array(full.buffer, full.byteOffset, 2)[1];
  if (heapStart >= full.length || (full.length - heapStart) % 65536) throw new Error("snapshot has a bad Pyodide header");
  return full.length - heapStart;
}

function idbRequest(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// runtimeSnapshots(key) -> {state, canMake, find(), decode(record), save(pyodide, setup), discard(),
//                           refuse(why), sized(runtimeModule, heapBytes)}
// `state` says what happened, for the ready message: "restored", "none", "stale", "damaged",
// "restore-failed", "low-memory", "refused" (an earlier visit's restore failed), "unavailable".
function runtimeSnapshots(key) {
  const memory = typeof navigator === "object" ? navigator.deviceMemory : undefined;
  const lowMemory = typeof memory === "number" && memory < SNAPSHOT_MIN_DEVICE_GIB;
  // crypto.subtle (the record's hash) exists only in secure contexts: elsewhere, no snapshots.
  const available = typeof indexedDB === "object" && indexedDB !== null && !!key
    && typeof crypto === "object" && !!crypto.subtle;
  let dbPromise = null;
  const api = {state: !available ? "unavailable" : lowMemory ? "low-memory" : "none",
               canMake: available && !lowMemory};

  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const open = indexedDB.open(SNAPSHOT_DB, 1);
        open.onupgradeneeded = () => open.result.createObjectStore(SNAPSHOT_STORE);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
        open.onblocked = () => reject(new Error("snapshot store is blocked"));
      });
    }
    return dbPromise;
  }
  async function store(mode, fn) {
    const tx = (await db()).transaction(SNAPSHOT_STORE, mode);
    const done = new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error || new Error("snapshot transaction aborted"));
    });
    const result = await idbRequest(fn(tx.objectStore(SNAPSHOT_STORE)));
    await done;
    return result;
  }

  // This build's stored record, or null (a record of another build is deleted). Reading the record
  // does not read its blob yet: decode() does, while the runtime's own start-up goes on.
  api.find = async function () {
    if (!api.canMake) return null;
    let record;
    try {
      record = await store("readonly", (s) => s.get(SNAPSHOT_ID));
    } catch (err) {
      api.state = "unavailable";      // e.g. storage switched off: never try to write either
      api.canMake = false;
      return null;
    }
    if (!record) return null;
    if (record.key === key && record.refused) {
      // This build's snapshot could not be restored on this device before: boot normally, and
      // make none (a rebuild brings a new key, and a new try).
      api.state = "refused";
      api.canMake = false;
      return null;
    }
    if (record.key !== key || !(record.blob instanceof Blob) || !(record.heapBytes > 0)
        || record.heapBytes > SNAPSHOT_MAX_HEAP) {
      api.state = record.key !== key ? "stale" : "damaged";
      await api.discard();
      return null;
    }
    return record;
  };

  // The full Pyodide snapshot of a record found above; rejects (and sets state) when it is damaged
  // or memory is short. The caller discards the record then.
  api.decode = async function (record) {
    try {
      const stored = new Uint8Array(await record.blob.arrayBuffer());
      if (await recordDigest(key, record.heapBytes, record.setup, stored) !== record.sha256) {
        throw new Error("snapshot record is damaged");
      }
      const full = decodeSnapshot(stored);
      if (snapshotHeapBytes(full) !== record.heapBytes) throw new Error("snapshot record is damaged");
      return full;
    } catch (err) {
      api.state = err instanceof RangeError ? "low-memory" : "damaged";
      throw err;
    }
  };

  api.discard = async function () {
    try { await store("readwrite", (s) => s.delete(SNAPSHOT_ID)); } catch (err) { /* nothing to keep */ }
  };

  // A snapshot of this build that Pyodide refused, or that this device had no memory for, would
  // fail the same way every time: keep a small marker in its place instead, so that later visits
  // of this build neither try to restore nor make one.
  api.refuse = async function (why) {
    api.canMake = false;
    try {
      await store("readwrite", (s) => s.put({key, refused: why, made: Date.now()}, SNAPSHOT_ID));
    } catch (err) { /* nothing to keep */ }
  };

  // Copies the interpreter now (the caller makes sure no Python is running) and stores it.
  // Resolves to {state: "stored", bytes, raw, ms} or {state: "skipped", reason}.
  api.save = async function (pyodide, setup) {
    if (!api.canMake) return {state: "skipped", reason: api.state};
    const t0 = performance.now();
    const full = pyodide.makeMemorySnapshot();
    const heapBytes = snapshotHeapBytes(full);
    const payload = encodeSnapshot(full);
    const storage = typeof navigator === "object" ? navigator.storage : undefined;
    const estimate = storage && storage.estimate ? await storage.estimate() : null;
    if (estimate && estimate.quota - estimate.usage < 2 * payload.length) {
      return {state: "skipped", reason: "storage"};
    }
    const sha256 = await recordDigest(key, heapBytes, setup, payload);
    await store("readwrite", (s) => s.put({key, blob: new Blob([payload]), sha256, heapBytes, setup,
                                           bytes: payload.length, made: Date.now()}, SNAPSHOT_ID));
    return {state: "stored", bytes: payload.length, raw: full.length, ms: Math.round(performance.now() - t0)};
  };

  // Pyodide sizes the heap for a snapshot through INITIAL_MEMORY, which its generated module
  // ignores: a snapshot larger than the default heap fails to restore (seen on Android WebView).
  // Grow the fresh module's memory to the snapshot's heap before Pyodide copies it in.
  api.sized = function (runtimeModule, heapBytes) {
    return async (settings) => {
      const module = await (await runtimeModule).default(settings);
      if (module.HEAP8.length < heapBytes && !module.growMemory(heapBytes)) {
        throw new RangeError(`could not grow the heap to ${heapBytes} bytes for the snapshot`);
      }
      return module;
    };
  };
  return api;
}
