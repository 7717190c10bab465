// The field split of a space-separated log line (ALB, S3): `EdgeParsers.SpacedFields` in one C pass, for the
// read-ahead thread's tokenizer.
//
// Written in C, not Swift, for speed: the Swift split, which called `memchr` for each of an ALB line's thirty fields,
// was about a tenth of the CPU time of a scan of an ALB log. No library in the project's set splits fields by these
// rules (quoted fields with `\"` escapes, bracketed fields, runs of spaces). `SpacedFields.init` (Swift) stays the
// definition: the scan thread splits the lines the read-ahead thread did not reach with it, and the tests compare
// the two on mutated lines.

#include "why403_scan.h"
#include <string.h>

/// The first offset in `from..<to` holding `a` or `b`, `to` when none (`ByteLine.index(of:or:from:to:)`).
static inline size_t index_of2(const uint8_t *p, uint8_t a, uint8_t b, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) if (p[i] == a || p[i] == b) return i;
    return to;
}

int32_t why403_split_spaced(const uint8_t *p, size_t n, int32_t *bounds, int32_t max_fields) {
    size_t i = 0;
    int32_t count = 0;
    while (i < n) {
        while (i < n && p[i] == ' ') i++;
        if (i >= n) break;
        size_t start, end;
        uint8_t c = p[i];
        if (c == '"') {
            size_t j = index_of2(p, '"', '\\', i + 1, n);
            while (j < n && p[j] == '\\') {  // `\"` and `\\` stay inside the field
                size_t k = j + 2 < n ? j + 2 : n;
                j = index_of2(p, '"', '\\', k, n);
            }
            start = i + 1; end = j;
            i = j < n ? j + 1 : j;
        } else if (c == '[') {
            size_t j = index_of2(p, ']', ']', i + 1, n);
            start = i + 1; end = j;
            i = j < n ? j + 1 : j;
        } else {
            const uint8_t *s = memchr(p + i, ' ', n - i);
            size_t j = s ? (size_t)(s - p) : n;
            start = i; end = j;
            i = j;
        }
        if (count == max_fields) return -1;
        bounds[2 * count] = (int32_t)start;
        bounds[2 * count + 1] = (int32_t)end;
        count++;
    }
    return count;
}
