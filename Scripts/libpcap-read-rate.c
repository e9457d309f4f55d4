/*
 * libpcap-read-rate: how fast libpcap walks a capture, frames only.
 *
 *   gcc -O2 -o libpcap-read-rate Scripts/libpcap-read-rate.c -lpcap
 *   ./libpcap-read-rate FILE
 *
 * Prints "frames N bytes B seconds S MB/s R" (B is the file size), or
 * libpcap's own error and exit status 1. Touches the last byte of every
 * frame, as CaptureReadRate does, so both sides do the same work.
 * Used by Scripts/compare-readers.sh; see docs/capture-files.md.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CAPTURE\n", argv[0]);
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    double start = now();
    /* Nanosecond precision, as CaptureReader gives. */
    pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (p == NULL) {
        printf("error %s\n", errbuf);
        return 1;
    }
    struct pcap_pkthdr *hdr;
    const u_char *data;
    uint64_t frames = 0, sum = 0;
    int rc;
    while ((rc = pcap_next_ex(p, &hdr, &data)) == 1) {
        frames++;
        if (hdr->caplen > 0) sum += data[hdr->caplen - 1];
    }
    double seconds = now() - start;
    if (rc == PCAP_ERROR) {
        printf("error after %llu frames: %s\n", (unsigned long long)frames, pcap_geterr(p));
        pcap_close(p);
        return 1;
    }
    pcap_close(p);
    struct stat st;
    long long bytes = stat(argv[1], &st) == 0 ? (long long)st.st_size : 0;
    printf("frames %llu bytes %lld seconds %.3f MB/s %.0f (checksum %llu)\n", (unsigned long long)frames, bytes, seconds,
           seconds > 0 ? (double)bytes / 1e6 / seconds : 0.0, (unsigned long long)sum);
    return 0;
}
