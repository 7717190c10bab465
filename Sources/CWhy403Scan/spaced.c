// The field split of a space-separated log line (ALB, S3): `EdgeParsers.SpacedFields` in one C pass, for the
// read-ahead thread's tokenizer.
//
// Written in C, not Swift, for speed: the Swift split, which called `memchr` for each of an ALB line's thirty fields,
// was about a tenth of the CPU time of a scan of an ALB log. No library in the project's set splits fields by these
// rules (quoted fields with `\"` escapes, bracketed fields, runs of spaces). `SpacedFields.init` (Swift) stays the
// definition: the scan thread splits the lines the read-ahead thread did not reach with it, and the tests compare
// the two on mutated lines.
//
// A line of up to 4 KiB is first turned into bit masks, 64 bytes a block (its spaces; its quotes and backslashes; its
// `]`), and each field's end is the next set bit of the mask its kind ends at, as in `flatjson.c`. (Searched byte by
// byte inside quotes and with a `memchr` call per plain field, the split was some 2,800 instructions of a 500-byte ALB
// line, the largest cost of a refused ALB line.) Longer lines take the byte loop, which follows the same rules.

#include "why403_scan.h"
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Lines up to 64 * SPACED_BLOCKS bytes take the masks.
#define SPACED_BLOCKS 64

typedef struct {
    uint64_t space[SPACED_BLOCKS];
    uint64_t quote[SPACED_BLOCKS];  // `"` and `\`
    uint64_t close[SPACED_BLOCKS];  // `]`
    /// Any byte below 0x20 or 0x7F was seen (the control bytes `why403_has_binary_bytes` judges).
    uint64_t suspect;
} spaced_masks;

/// The masks of the 64 bytes at `b` into block `k`.
static inline void spaced_block(const uint8_t *b, spaced_masks *m, size_t k) {
#if defined(__SSE2__)
    const __m128i sp = _mm_set1_epi8(' '), q = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\'), cl = _mm_set1_epi8(']');
    const __m128i ctl = _mm_set1_epi8(0x1F), del = _mm_set1_epi8(0x7F);
    uint64_t s = 0, qq = 0, c = 0;
    for (int j = 0; j < 4; j++) {
        __m128i x = _mm_loadu_si128((const __m128i *)(b + 16 * j));
        m->suspect |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(_mm_max_epu8(x, ctl), ctl), _mm_cmpeq_epi8(x, del)));
        s |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, sp)) << (16 * j);
        qq |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(x, q), _mm_cmpeq_epi8(x, bs))) << (16 * j);
        c |= (uint64_t)(uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(x, cl)) << (16 * j);
    }
    m->space[k] = s; m->quote[k] = qq; m->close[k] = c;
#else
    uint64_t s = 0, qq = 0, c = 0;
    for (int j = 0; j < 64; j++) {
        s |= (uint64_t)(b[j] == ' ') << j;
        qq |= (uint64_t)(b[j] == '"' || b[j] == '\\') << j;
        c |= (uint64_t)(b[j] == ']') << j;
        m->suspect |= b[j] < 0x20 || b[j] == 0x7F;
    }
    m->space[k] = s; m->quote[k] = qq; m->close[k] = c;
#endif
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SPACED_AVX2 1
/// `spaced_block` 32 bytes a step.
__attribute__((target("avx2")))
static inline void spaced_block_avx2(const uint8_t *b, spaced_masks *m, size_t k) {
    const __m256i sp = _mm256_set1_epi8(' '), q = _mm256_set1_epi8('"'), bs = _mm256_set1_epi8('\\'), cl = _mm256_set1_epi8(']');
    const __m256i ctl = _mm256_set1_epi8(0x1F), del = _mm256_set1_epi8(0x7F);
    __m256i lo = _mm256_loadu_si256((const __m256i *)b), hi = _mm256_loadu_si256((const __m256i *)(b + 32));
    __m256i odd = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(_mm256_max_epu8(lo, ctl), ctl), _mm256_cmpeq_epi8(lo, del)),
                                  _mm256_or_si256(_mm256_cmpeq_epi8(_mm256_max_epu8(hi, ctl), ctl), _mm256_cmpeq_epi8(hi, del)));
    m->suspect |= (uint64_t)(uint32_t)_mm256_movemask_epi8(odd);
    m->space[k] = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, sp))
                | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, sp)) << 32;
    m->quote[k] = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(lo, q), _mm256_cmpeq_epi8(lo, bs)))
                | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_or_si256(_mm256_cmpeq_epi8(hi, q), _mm256_cmpeq_epi8(hi, bs))) << 32;
    m->close[k] = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, cl))
                | (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, cl)) << 32;
}
#endif

/// The masks of `p[0..<n]` (`n` at most 64 * SPACED_BLOCKS) through a block builder; the last block's bytes past `n`
/// are `x`, in no mask. Written once, compiled for SSE2 and for AVX2 (where the whole function must carry the target
/// for the builder to inline).
#define SPACED_MASKS_BODY(BLOCK)                                        \
    m->suspect = 0;                                                     \
    size_t full = n / 64, k = 0;                                        \
    for (; k < full; k++) BLOCK(p + 64 * k, m, k);                      \
    size_t rest = n - 64 * full;                                        \
    if (rest) {                                                         \
        uint8_t tail[64];                                               \
        memset(tail, 'x', sizeof tail);                                 \
        memcpy(tail, p + 64 * full, rest);                              \
        BLOCK(tail, m, k);                                              \
    }

static void spaced_masks_sse2(const uint8_t *p, size_t n, spaced_masks *m) { SPACED_MASKS_BODY(spaced_block) }

#ifdef SPACED_AVX2
__attribute__((target("avx2")))
static void spaced_masks_avx2(const uint8_t *p, size_t n, spaced_masks *m) { SPACED_MASKS_BODY(spaced_block_avx2) }
#endif

static inline void spaced_masks_of(const uint8_t *p, size_t n, spaced_masks *m) {
#ifdef SPACED_AVX2
    if (why403_cpu_has_avx2()) { spaced_masks_avx2(p, n, m); return; }
#endif
    spaced_masks_sse2(p, n, m);
}

/// The first set bit at or after `at` in `bits`, or `n` when none is below `n` (no bit is set at or past `n`).
static inline size_t next_set(const uint64_t *bits, size_t at, size_t n) {
    if (at >= n) return n;
    size_t w = at >> 6, last = (n - 1) >> 6;
    uint64_t word = bits[w] & (~0ull << (at & 63));
    while (!word) {
        if (++w > last) return n;
        word = bits[w];
    }
    return (w << 6) + (size_t)__builtin_ctzll(word);
}

/// The first position at or after `at` whose byte is not a space, or `n` when none is below `n`.
static inline size_t next_clear(const uint64_t *bits, size_t at, size_t n) {
    if (at >= n) return n;
    size_t w = at >> 6, last = (n - 1) >> 6;
    uint64_t word = ~bits[w] & (~0ull << (at & 63));
    while (!word) {
        if (++w > last) return n;
        word = ~bits[w];
    }
    size_t i = (w << 6) + (size_t)__builtin_ctzll(word);
    return i < n ? i : n;
}

/// The first offset in `from..<to` holding `a` or `b`, `to` when none (`ByteLine.index(of:or:from:to:)`).
static inline size_t index_of2(const uint8_t *p, uint8_t a, uint8_t b, size_t from, size_t to) {
    for (size_t i = from; i < to; i++) if (p[i] == a || p[i] == b) return i;
    return to;
}

/// Where the split looks things up: in the masks `m` of the line, or byte by byte when `m` is NULL (lines over 4 KiB).
typedef struct {
    const uint8_t *p;
    size_t n;
    const spaced_masks *m;
} spaced_line;

/// The first position at or after `i` that is not a space, or `n`.
static inline size_t skip_spaces(const spaced_line *l, size_t i) {
    if (l->m) return next_clear(l->m->space, i, l->n);
    while (i < l->n && l->p[i] == ' ') i++;
    return i;
}

/// The first `"` or `\` at or after `i`, or `n`.
static inline size_t quote_or_escape(const spaced_line *l, size_t i) {
    return l->m ? next_set(l->m->quote, i, l->n) : index_of2(l->p, '"', '\\', i, l->n);
}

/// The first `]` at or after `i`, or `n`.
static inline size_t bracket_end(const spaced_line *l, size_t i) {
    return l->m ? next_set(l->m->close, i, l->n) : index_of2(l->p, ']', ']', i, l->n);
}

/// The first space at or after `i`, or `n`.
static inline size_t space_after(const spaced_line *l, size_t i) {
    if (l->m) return next_set(l->m->space, i, l->n);
    const uint8_t *s = i < l->n ? memchr(l->p + i, ' ', l->n - i) : NULL;
    return s ? (size_t)(s - l->p) : l->n;
}

/// The split: the same rules, whichever way `l` looks things up.
static inline int32_t split(const spaced_line *l, int32_t *bounds, int32_t max_fields) {
    const uint8_t *p = l->p;
    size_t n = l->n, i = 0;
    int32_t count = 0;
    while (i < n) {
        i = skip_spaces(l, i);
        if (i >= n) break;
        size_t start, end;
        uint8_t c = p[i];
        if (c == '"') {
            size_t j = quote_or_escape(l, i + 1);
            while (j < n && p[j] == '\\') {  // `\"` and `\\` stay inside the field
                j = quote_or_escape(l, j + 2 < n ? j + 2 : n);
            }
            start = i + 1; end = j;
            i = j < n ? j + 1 : j;
        } else if (c == '[') {
            size_t j = bracket_end(l, i + 1);
            start = i + 1; end = j;
            i = j < n ? j + 1 : j;
        } else {
            size_t j = space_after(l, i);
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

/// The split through the masks (lines up to 4 KiB); `*suspect` 1 when the line holds a control byte or DEL.
static int32_t split_masked(const uint8_t *p, size_t n, int32_t *bounds, int32_t max_fields, int32_t *suspect) {
    spaced_masks m;
    spaced_masks_of(p, n, &m);
    *suspect = m.suspect != 0;
    spaced_line l = {p, n, &m};
    return split(&l, bounds, max_fields);
}

/// The split byte by byte (lines over 4 KiB).
static int32_t split_bytes(const uint8_t *p, size_t n, int32_t *bounds, int32_t max_fields) {
    spaced_line l = {p, n, NULL};
    return split(&l, bounds, max_fields);
}

int32_t why403_split_spaced_checked(const uint8_t *p, size_t n, int32_t *bounds, int32_t max_fields, int32_t *suspect) {
    if (n <= 64 * SPACED_BLOCKS) return split_masked(p, n, bounds, max_fields, suspect);
    *suspect = 1;  // not looked at
    return split_bytes(p, n, bounds, max_fields);
}

int32_t why403_split_spaced(const uint8_t *p, size_t n, int32_t *bounds, int32_t max_fields) {
    int32_t suspect;
    return why403_split_spaced_checked(p, n, bounds, max_fields, &suspect);
}

int32_t why403_split_spaced_bytes(const uint8_t *p, size_t n, int32_t *bounds, int32_t max_fields) {
    return split_bytes(p, n, bounds, max_fields);
}
