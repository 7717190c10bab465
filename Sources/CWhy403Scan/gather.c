// The read path of `why403 logs` over a mapped window of a regular file: find the lines holding the
// status needle (the scan kernel of scan.c), count every newline, and copy only those lines out, so
// the scan thread never touches the mapping and the window can be unmapped at once.
//
// Written in C, not Swift, for one reason beyond the kernel: a mapped file that shrinks under us
// (logrotate's copytruncate) raises SIGBUS on the next access past its new end. The copy runs under
// a guard that turns that SIGBUS into an early end of the window (`sigsetjmp`/`siglongjmp`), which
// Swift cannot do; every access to the mapping happens in this file, inside the guard.

#define _GNU_SOURCE
#include "why403_scan.h"
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

static __thread sigjmp_buf *guard_point;
static struct sigaction previous_bus;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;

/// SIGBUS inside a guarded copy ends it; any other goes to the handler that was there before us (the
/// Swift runtime's crash reporter, or the default action).
static void on_bus(int sig, siginfo_t *info, void *context) {
    if (guard_point) siglongjmp(*guard_point, 1);
    if ((previous_bus.sa_flags & SA_SIGINFO) && previous_bus.sa_sigaction) {
        previous_bus.sa_sigaction(sig, info, context);
        return;
    }
    if (!(previous_bus.sa_flags & SA_SIGINFO) && previous_bus.sa_handler != SIG_DFL && previous_bus.sa_handler != SIG_IGN) {
        previous_bus.sa_handler(sig);
        return;
    }
    // Default action: put it back; the faulting access runs again and the signal kills as it would have.
    signal(SIGBUS, SIG_DFL);
}

static void install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &previous_bus);
}

/// Copies one gathered line; 0 when the output is full (the caller sized it too small).
static int keep(why403_gather_space *sp, why403_gather_result *r, const uint8_t *buf, size_t start, size_t end, size_t number) {
    size_t len = end - start;
    if (r->lines >= sp->max_lines || r->out_bytes + len > sp->out_capacity) return 0;
    memcpy(sp->out + r->out_bytes, buf + start, len);
    sp->offsets[r->lines] = r->out_bytes;
    sp->lengths[r->lines] = len;
    sp->numbers[r->lines] = number;
    r->out_bytes += len;
    r->lines++;
    return 1;
}

static void gather(int kernel, const uint8_t *buf, size_t n, int final, const uint8_t *needle, size_t m, size_t max_line,
                   why403_gather_space *sp, why403_gather_result *r) {
    size_t pos = 0, nl = 0;
    if (r->skipping) {
        // The window continues a line longer than the limit: it ends at the first newline.
        const uint8_t *e = memchr(buf, '\n', n);
        if (!e) {
            r->consumed = n;
            if (final) { r->newlines = 1; r->skipping = 0; }
            return;
        }
        nl = 1;
        pos = (size_t)(e - buf) + 1;
        r->skipping = 0;
    }
    while (pos < n) {
        size_t total = 0;
        size_t got = why403_scan_lines(kernel, buf + pos, n - pos, needle, m, sp->hits, sp->newlines_before,
                                       sp->line_starts, sp->max_hits, &total);
        int full = got == SIZE_MAX;
        size_t k = full ? sp->max_hits : got;
        size_t line_end = 0, line_nl = 0, skip_until = pos;
        int any = 0;
        for (size_t i = 0; i < k; i++) {
            size_t h = pos + sp->hits[i];
            if (h < skip_until) continue;  // another hit on a line already kept
            size_t start = pos + sp->line_starts[i];
            const uint8_t *e = memchr(buf + h, '\n', n - h);
            size_t end;
            if (!e) {
                if (!final) {
                    // Cut by the window's end: the next window starts with this line.
                    r->consumed = start;
                    r->newlines = nl + sp->newlines_before[i];
                    if (start == 0) { r->consumed = n; r->newlines = 0; r->skipping = 1; }
                    return;
                }
                end = n;
            } else {
                end = (size_t)(e - buf);
            }
            if (end - start <= max_line && !keep(sp, r, buf, start, end, nl + sp->newlines_before[i])) {
                r->overflow = 1;
                return;
            }
            skip_until = end + 1;
            line_end = end;
            line_nl = sp->newlines_before[i];
            any = 1;
        }
        if (full && any) {
            // More hits than the scratch arrays hold: go on after the last line kept (at the end of a
            // final window that line, newline or not, is the last).
            nl += line_nl + 1;
            pos = line_end + 1;
            if (pos >= n) { r->consumed = n; r->newlines = nl; return; }
            continue;
        }
        if (full) { r->overflow = 1; return; }
        nl += total;
        if (final) {
            if (buf[n - 1] != '\n') nl += 1;  // the last line, without its newline, is a line
            r->consumed = n;
        } else {
            const uint8_t *last = memrchr(buf + pos, '\n', n - pos);
            if (last) {
                r->consumed = (size_t)(last - buf) + 1;
            } else if (pos == 0) {
                // No line ends in the whole window: a line longer than the limit.
                r->consumed = n;
                r->skipping = 1;
                nl = 0;
            } else {
                r->consumed = pos;
            }
        }
        r->newlines = nl;
        return;
    }
    r->consumed = n;
    r->newlines = nl;
}

int why403_gather_lines(int kernel, const uint8_t *buf, size_t n, int final, const uint8_t *needle, size_t m,
                        size_t max_line, why403_gather_space *space, why403_gather_result *result) {
    pthread_once(&install_once, install);
    int skipping = result->skipping;
    memset(result, 0, sizeof *result);
    result->skipping = skipping;
    if (m == 0 || n == 0) { result->consumed = n; return 0; }
    sigjmp_buf here;
    if (sigsetjmp(here, 1)) {
        guard_point = NULL;
        result->faulted = 1;
        return -1;
    }
    guard_point = &here;
    gather(kernel, buf, n, final, needle, m, max_line, space, result);
    guard_point = NULL;
    return result->overflow ? -2 : 0;
}
