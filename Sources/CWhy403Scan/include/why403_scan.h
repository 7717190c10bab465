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

/// The same with a chosen code path (for tests): 1 scalar, 2 SSE2, 3 AVX2, 4 AVX-512; a path this
/// CPU lacks falls back to the best it has below it. 0 chooses as `why403_scan_needle` does.
size_t why403_scan_needle_using(int kernel, const uint8_t *buf, size_t n, const uint8_t *needle, size_t m,
                                size_t *hits, size_t *newlines_before, size_t max_hits, size_t *newlines);

/// `why403_scan_needle_using` that also writes, when `line_starts` is not NULL, the start of each
/// occurrence's line: the offset after the last `\n` before it, 0 when none (so the caller need not
/// search back for it).
size_t why403_scan_lines(int kernel, const uint8_t *buf, size_t n, const uint8_t *needle, size_t m,
                         size_t *hits, size_t *newlines_before, size_t *line_starts, size_t max_hits, size_t *newlines);

/// Which code path `why403_scan_needle` takes on this CPU: "avx512", "avx2", "sse2" or "scalar".
const char *why403_scan_kernel(void);

#endif
