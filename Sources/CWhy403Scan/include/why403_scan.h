#ifndef WHY403_SCAN_H
#define WHY403_SCAN_H

#include <stddef.h>
#include <stdint.h>

/// Finds every occurrence (overlapping ones too) of `needle[0..<m]` in `buf[0..<n]` and counts the
/// newlines of the buffer in the same pass.
///
/// Writes the offset of each occurrence to `hits` and the number of `\n` bytes before it to
/// `newlines_before`, in order, at most `max_hits` of them. Returns the number of occurrences, or
/// `SIZE_MAX` when there are more than `max_hits` (the arrays then hold the first `max_hits`; the
/// caller searches itself). `*newlines` receives the newlines of the whole buffer. With `newlines`
/// NULL the scan stops as soon as `max_hits` occurrences are recorded and returns `max_hits`: with
/// `max_hits` 1, a search for the first occurrence.
size_t why403_scan_needle(const uint8_t *buf, size_t n, const uint8_t *needle, size_t m,
                          size_t *hits, size_t *newlines_before, size_t max_hits, size_t *newlines);

/// The same with a chosen code path (for tests): 1 scalar, 2 SSE2, 3 AVX2 (4, once AVX-512, now takes
/// AVX2 too); a path this CPU lacks falls back to the best it has below it. 0 chooses as
/// `why403_scan_needle` does.
size_t why403_scan_needle_using(int kernel, const uint8_t *buf, size_t n, const uint8_t *needle, size_t m,
                                size_t *hits, size_t *newlines_before, size_t max_hits, size_t *newlines);

/// `why403_scan_needle_using` that also writes, when `line_starts` is not NULL, the start of each
/// occurrence's line: the offset after the last `\n` before it, 0 when none (so the caller need not
/// search back for it).
size_t why403_scan_lines(int kernel, const uint8_t *buf, size_t n, const uint8_t *needle, size_t m,
                         size_t *hits, size_t *newlines_before, size_t *line_starts, size_t max_hits, size_t *newlines);

/// Which code path `why403_scan_needle` takes on this CPU: "avx2", "sse2" or "scalar".
const char *why403_scan_kernel(void);

/// 1 when the CPU has AVX2 (and POPCNT), the condition of every AVX2 path here; 0 elsewhere.
int why403_cpu_has_avx2(void);

/// Whether `buf[0..<n]` holds a byte a text log line never has: below 0x20 but for tab, LF, VT, FF, CR and ESC,
/// or 0x7F (`ByteLine.looksBinary`). 16 bytes a step with SSE2 (a block with no byte at or below 0x1F and no
/// 0x7F is clean; a flagged block is checked byte by byte), bytewise elsewhere.
int why403_has_binary_bytes(const uint8_t *buf, size_t n);

/// Where `why403_gather_lines` keeps its work: scratch arrays for the scan kernel (any size; more hits
/// than `max_hits` only cost another pass) and the output. The output holds everything when
/// `out_capacity` is at least the window's length and `max_lines` at least its length / (m + 1) + 1.
typedef struct {
    size_t *hits;
    size_t *newlines_before;
    size_t *line_starts;
    size_t max_hits;
    /// The gathered lines' bytes, one after another (no newlines).
    uint8_t *out;
    size_t out_capacity;
    /// Per gathered line: where it is in `out`, its length, and the newlines of the window before it.
    size_t *offsets;
    size_t *lengths;
    size_t *numbers;
    size_t max_lines;
} why403_gather_space;

/// What `why403_gather_lines` found in one window.
typedef struct {
    /// Lines gathered (in `space`), and their bytes.
    size_t lines;
    size_t out_bytes;
    /// Lines that ended in `buf[0..<consumed]` (a final window's last line counts without its newline).
    size_t newlines;
    /// Bytes settled: the next window starts here (the start of a line the window's end cut).
    size_t consumed;
    /// In: the window starts inside a line longer than the limit. Out: it ends inside one.
    int skipping;
    /// The mapping faulted (the file shrank under it): the window's results are void.
    int faulted;
    /// The output was too small (`space` sized below the rule above).
    int overflow;
} why403_gather_result;

/// Finds the lines of `buf[0..<n]` (a window of a mapped file that starts at a line start, or inside
/// an overlong line when `result->skipping` is set) that hold `needle[0..<m]`, copies those no longer
/// than `max_line` into `space`, and counts the lines. A line the window's end cuts is left for the
/// next window (`consumed`), unless `final` (the window ends the file). Every access to `buf` runs
/// under a SIGBUS guard: a file truncated under the mapping returns -1 with `faulted` set, not a crash.
/// Returns 0, -1 (faulted) or -2 (overflow).
int why403_gather_lines(int kernel, const uint8_t *buf, size_t n, int final, const uint8_t *needle, size_t m,
                        size_t max_line, why403_gather_space *space, why403_gather_result *result);

/// A counter one thread adds to and another reads (`MappedGather`'s slots taken, which tells the
/// read-ahead thread whether the scan thread has work queued). Relaxed: it only steers how much
/// optional work that thread does; the slots themselves are handed over by semaphores.
static inline void why403_counter_add(long *counter) { __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED); }
static inline long why403_counter_load(const long *counter) { return __atomic_load_n(counter, __ATOMIC_RELAXED); }

/// The member names `why403_flat_json` looks for: name `k` is `packed[starts[k]..<starts[k + 1]]`; `table` (`mask + 1`
/// entries, a power of two) maps a name's `why403_json_slot` to its index, probing linearly, -1 for an empty slot;
/// `empty_key` is the index of the empty name, -1 when none; `serial` is the set's own number
/// (`why403_json_keys_serial`), which no other set made in the process shares.
typedef struct {
    const uint8_t *packed;
    const int32_t *starts;
    const int64_t *table;
    int64_t mask;
    int32_t count;
    int32_t empty_key;
    uint64_t serial;
} why403_json_keys;

/// A number for a new `why403_json_keys`, never given before in this process.
uint64_t why403_json_keys_serial(void);

/// For tests: 1 when the AVX2 and the SSE2 (or portable) mask builders of `why403_flat_json` agree on `b[0..<n]` (also
/// on a CPU without AVX2, where only one exists). Not thread-safe (static scratch).
int why403_flat_json_masks_agree(const uint8_t *b, size_t n);

/// Reads the NDJSON line `b[0..<n]` when it has the common flat form (`flatjson.c`): writes 1 to `out[0]` and, for each
/// key `k`, where its value starts and ends to `out[1 + 2k]` and `out[2 + 2k]` (-1 and 2^30 when absent; the end with
/// 2^30 added unless the value is a string without escapes), as `FlatJSON.tokenize` does, and returns 1. Returns 0 for
/// any other line, valid or not, which the caller then reads itself. A line it reads holds no control character and no
/// DEL (`why403_has_binary_bytes` would return 0).
int why403_flat_json(const uint8_t *b, size_t n, const why403_json_keys *keys, int32_t *out);

/// The slot of a non-empty member name in a `why403_json_keys` table of `mask + 1` entries (the caller fills the table
/// with it, so the table and the lookup share one hash).
int64_t why403_json_slot(const uint8_t *name, size_t len, int64_t mask);

/// Splits the space-separated line `p[0..<n]` (ALB, S3) into fields as `EdgeParsers.SpacedFields` does (`spaced.c`):
/// writes each field's start and end to `bounds[2k]`, `bounds[2k + 1]` and returns the count, or -1 when the line holds
/// more than `max_fields` fields. `n` must be below 2^31.
int32_t why403_split_spaced(const uint8_t *p, size_t n, int32_t *bounds, int32_t max_fields);
/// `why403_split_spaced` that also writes to `*suspect` 0 when `p[0..<n]` holds no byte below 0x20 and no DEL (so
/// `why403_has_binary_bytes` would find nothing there), else 1 (also for a line over 4 KiB, which it does not look at).
int32_t why403_split_spaced_checked(const uint8_t *p, size_t n, int32_t *bounds, int32_t max_fields, int32_t *suspect);
/// `why403_split_spaced` byte by byte, the road of lines over 4 KiB, whatever the line's length (for tests).
int32_t why403_split_spaced_bytes(const uint8_t *p, size_t n, int32_t *bounds, int32_t max_fields);

#endif
