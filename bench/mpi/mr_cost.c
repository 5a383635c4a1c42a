// SPDX-License-Identifier: GPL-2.0
/*
 * mr_cost BYTES ITERS: OSU-style ping-pong between ranks 0 and 1 (and 2
 * and 3, and so on, at the same time; an odd last rank idles), twice:
 * "reuse" sends from the same buffer every time (MR cache hits), "churn"
 * allocates, sends from and frees a new buffer every iteration (above the
 * mmap threshold, so each free unmaps and each send re-registers). Rank 0
 * prints one line per mode:
 *   COST <mode> bytes=<n> iters=<n> usec_per_roundtrip=<f> MBps=<f>
 */
#include <malloc.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double pingpong(int rank, int size, size_t bytes, int iters, int churn)
{
	char *buf = malloc(bytes), *peer = malloc(bytes);
	int other = rank ^ 1;
	double start;

	memset(buf, 1, bytes);
	memset(peer, 2, bytes);
	MPI_Barrier(MPI_COMM_WORLD);
	start = MPI_Wtime();
	for (int i = 0; other < size && i < iters; i++) {
		if (churn) {
			free(buf);
			buf = malloc(bytes);
			memset(buf, i, bytes);
		}
		if (rank % 2 == 0) {
			MPI_Send(buf, bytes, MPI_BYTE, other, 0, MPI_COMM_WORLD);
			MPI_Recv(peer, bytes, MPI_BYTE, other, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
		} else {
			MPI_Recv(peer, bytes, MPI_BYTE, other, 0, MPI_COMM_WORLD,
				 MPI_STATUS_IGNORE);
			MPI_Send(buf, bytes, MPI_BYTE, other, 0, MPI_COMM_WORLD);
		}
	}
	start = MPI_Wtime() - start;
	free(buf);
	free(peer);
	return start;
}

int main(int argc, char **argv)
{
	size_t bytes = argc > 1 ? strtoul(argv[1], NULL, 0) : 1 << 20;
	int iters = argc > 2 ? atoi(argv[2]) : 50;
	const char *modes[] = { "reuse", "churn" };
	int rank, size;

	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	pingpong(rank, size, bytes, 2, 0);	/* warm-up: connections, first registration */
	for (int m = 0; m < 2; m++) {
		double t = pingpong(rank, size, bytes, iters, m);

		if (rank == 0)
			printf("COST %s bytes=%zu iters=%d usec_per_roundtrip=%.1f MBps=%.1f\n",
			       modes[m], bytes, iters, t * 1e6 / iters,
			       2.0 * bytes * iters / t / 1e6);
	}
	fflush(stdout);
	MPI_Finalize();
	return 0;
}
