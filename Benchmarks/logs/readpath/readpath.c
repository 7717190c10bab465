// Read path of `why403 logs`, measured on one thread: the 1 GiB benchmark log read with read(2)/pread
// in WIN-byte pieces ("r"), or mapped WIN bytes at a time with MAP_POPULATE ("p") or with faults ("n"),
// each piece searched with the scanner's own C kernel (why403_scan_lines: " 403 ", newlines, line starts).
// It answers "would mapping the file beat read(2)?" (2026-12-02: no; results in results/2026-12-02.txt).
// Build and run (4 runs each):
//   clang -O3 -I Sources/CWhy403Scan/include Benchmarks/logs/readpath/readpath.c Sources/CWhy403Scan/scan.c -o /tmp/readpath
//   /tmp/readpath /tmp/why403-bench-access-1024.log 1048576 r    (also p, n; WIN 4194304, 1073741824)
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include "why403_scan.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static double cpu(){struct rusage r;getrusage(RUSAGE_SELF,&r);return r.ru_utime.tv_sec+r.ru_utime.tv_usec*1e-6+r.ru_stime.tv_sec+r.ru_stime.tv_usec*1e-6;}
int main(int argc,char**argv){
  size_t win=atol(argv[2]); int mode=argv[3][0];
  size_t *hits=malloc(sizeof(size_t)*win), *nlb=malloc(sizeof(size_t)*win), *ls=malloc(sizeof(size_t)*win);
  uint8_t *buf=aligned_alloc(64,win);
  const uint8_t needle[]=" 403 ";
  for(int rep=0;rep<4;rep++){
    int fd=open(argv[1],O_RDONLY); struct stat st; fstat(fd,&st); size_t size=st.st_size;
    double t0=now(), c0=cpu(); size_t nl=0,nh=0;
    for(size_t off=0; off<size; off+=win){
      size_t len = size-off<win?size-off:win; size_t x;
      if(mode=='r'){ size_t n=0; while(n<len){ssize_t r=pread(fd,buf+n,len-n,off+n); if(r<=0)break; n+=r;} nh+=why403_scan_lines(0,buf,n,needle,5,hits,nlb,ls,win,&x); nl+=x; }
      else { int fl=MAP_PRIVATE|(mode=='p'?MAP_POPULATE:0); uint8_t *p=mmap(NULL,len,PROT_READ,fl,fd,off); if(mode=='s') madvise(p,len,MADV_SEQUENTIAL); nh+=why403_scan_lines(0,p,len,needle,5,hits,nlb,ls,win,&x); nl+=x; munmap(p,len);}
    }
    close(fd);
    printf("win %zu mode %c: wall %.3f cpu %.3f nl %zu hits %zu\n",win,mode,now()-t0,cpu()-c0,nl,nh);
    c0=cpu();
  }
}
