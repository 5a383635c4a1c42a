// SPDX-License-Identifier: GPL-2.0
/*
 * Monitors: what a viewer watching another process's file relies on. The
 * ABI as documented, every errno, the records an owner's operations
 * produce (and that the owner sees nothing different), overflow, QUERY,
 * the end of the stream on close, exit and exec, attaching through
 * pidfd_getfd, and that an open monitor keeps the module loaded.
 */
#include "monitor_test.h"

#include <poll.h>
#include <stddef.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static mrec_t rec[1024];
static struct ummunotify_event ev[UMN_MAX_EVENTS];

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void test_abi(void)
{
	struct ummunotify_features f = { .requested = 0 };
	int fd = umn_open(UMN_NO_NEGOTIATE);

	ok(sizeof(struct ummunotify_monitor_record) == 64 &&
	   offsetof(struct ummunotify_monitor_record, type) == 16 &&
	   offsetof(struct ummunotify_monitor_record, aux) == 56,
	   "a record is 64 bytes: seq, time_ns, type, flags, start, end, cookie, counter, aux");
	ok(sizeof(struct ummunotify_monitor_open) == 16 &&
	   sizeof(struct ummunotify_monitor_query) == 64,
	   "MONITOR_OPEN takes 16 bytes, MONITOR_QUERY 64");
	ok(UMMUNOTIFY_MONITOR_OPEN == 0x40105505 &&
	   UMMUNOTIFY_MONITOR_QUERY == 0xc0405506,
	   "MONITOR_OPEN is _IOW('U', 5) and MONITOR_QUERY _IOWR('U', 6)");
	ok(REC(FEATURES) == 0 && REC(REGISTER) == 1 && REC(UNREGISTER) == 2 &&
	   REC(INVALIDATE) == 3 && REC(HIT) == 4 && REC(READ) == 5 &&
	   REC(CLOSE) == 6, "record types 0..6 as documented");
	ok(ioctl(fd, UMMUNOTIFY_NEGOTIATE_FEATURES, &f) == 0 &&
	   (f.supported & UMMUNOTIFY_FEATURE_MONITOR) &&
	   UMMUNOTIFY_FEATURE_MONITOR == (1U << 4),
	   "NEGOTIATE_FEATURES reports FEATURE_MONITOR (1 << 4) in supported");
	close(fd);
}

static void test_open_errors(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE), mfd[UMMUNOTIFY_MONITOR_MAX + 1];
	struct ummunotify_monitor_open o = { .reserved = 1 };
	int null_fd = open("/dev/null", O_RDONLY), i, all = 1;

	ok(mon_open(fd, 3, 0) == -EINVAL, "a ring size that is not a power of two: EINVAL");
	ok(mon_open(fd, UMMUNOTIFY_MONITOR_RING_MAX * 2, 0) == -EINVAL,
	   "a ring larger than 1 << 20 records: EINVAL");
	ok(mon_open(fd, 0, 1U << 1) == -EINVAL, "unknown flags: EINVAL");
	ok(ioctl(fd, UMMUNOTIFY_MONITOR_OPEN, &o) < 0 && errno == EINVAL,
	   "reserved not 0: EINVAL");
	ok(ioctl(fd, UMMUNOTIFY_MONITOR_OPEN, NULL) < 0 && errno == EFAULT,
	   "a bad argument pointer: EFAULT");
	ok(mon_open(null_fd, 0, 0) == -ENOTTY,
	   "MONITOR_OPEN on a file that is not ours: ENOTTY");

	for (i = 0; i < UMMUNOTIFY_MONITOR_MAX; i++) {
		mfd[i] = mon_open(fd, 1, 0);
		all &= mfd[i] >= 0;
	}
	ok(all, "8 monitors on one file");
	ok(fdinfo_value(getpid(), fd, "monitors") == 8, "fdinfo says monitors: 8");
	ok(mon_open(fd, 1, 0) == -EBUSY, "a 9th: EBUSY");
	close(mfd[3]);
	mfd[3] = mon_open(fd, 1, 0);
	ok(mfd[3] >= 0, "after one is closed, another can attach");
	ok(mon_open(mfd[0], 0, 0) == -ENOTTY,
	   "MONITOR_OPEN on a monitor: ENOTTY");
	ok(ioctl(fd, UMMUNOTIFY_MONITOR_QUERY, rec) < 0 && errno == ENOTTY,
	   "MONITOR_QUERY on the owner's file: ENOTTY");
	for (i = 0; i < UMMUNOTIFY_MONITOR_MAX; i++)
		close(mfd[i]);
	ok(fdinfo_value(getpid(), fd, "monitors") == 0,
	   "closing the monitors detaches them (monitors: 0)");
	close(null_fd);
	close(fd);
}

static void test_descriptor(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE), mfd = mon_open(fd, 0, 0);
	char path[64], link[128] = "";
	struct pollfd pfd = { .fd = mfd, .events = POLLIN };
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
	n = readlink(path, link, sizeof(link) - 1);
	ok(n > 0 && !strcmp(link, "anon_inode:[ummunotify-monitor]"),
	   "the monitor is an anon inode [ummunotify-monitor] (%s)", link);
	ok((fcntl(mfd, F_GETFD) & FD_CLOEXEC) &&
	   (fcntl(mfd, F_GETFL) & O_ACCMODE) == O_RDONLY,
	   "opened O_RDONLY | O_CLOEXEC");
	ok(lseek(mfd, 0, SEEK_SET) < 0 && errno == ESPIPE, "it is a stream (lseek: ESPIPE)");
	ok(read(mfd, rec, 63) < 0 && errno == EINVAL,
	   "read with a buffer smaller than one record: EINVAL");
	ok(mon_read(mfd, rec, 4) == -EAGAIN, "nothing recorded: EAGAIN with O_NONBLOCK");
	ok(poll(&pfd, 1, 0) == 0, "and poll shows nothing");
	ok(umn_negotiate(fd, UMMUNOTIFY_FEATURE_REASON, NULL) == 0,
	   "the owner can still negotiate after a monitor attached (MONITOR_OPEN is no use of the file)");
	ok(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLIN, "then poll gives POLLIN");
	ok(mon_read(mfd, rec, 4) == 1 && rec[0].type == REC(FEATURES) &&
	   rec[0].flags == UMMUNOTIFY_FEATURE_REASON && rec[0].seq == 1,
	   "a FEATURES record (seq 1) says what was granted");
	ok(fdinfo_value(getpid(), fd, "features") == UMMUNOTIFY_FEATURE_REASON,
	   "fdinfo shows features: in force");
	close(mfd);
	close(fd);
}

/* The records of one life of a registration, and the owner sees the same. */
static void test_records(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE), mfd = mon_open(fd, 0, 0), n;
	const volatile __u64 *counter = umn_map_counter(fd);
	char *a = arena_new(4), *b = arena_new(1);
	long ps = page_size();
	__u64 t0 = now_ns(), t1;
	int seq_ok = 1, i;

	umn_register(fd, a, 4 * ps, 7);
	madvise(arena_page(a, 1), ps, MADV_DONTNEED);
	madvise(arena_page(a, 3), ps, MADV_DONTNEED);
	n = umn_drain(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && is_inval(&ev[0], 7) && !(ev[0].flags & UMMUNOTIFY_EVENT_FLAG_HINT) &&
	   ev[1].type == UMMUNOTIFY_EVENT_TYPE_LAST && ev[1].user_cookie_counter == 2,
	   "the owner reads what it would without a monitor");
	umn_register(fd, b, ps, 8);
	madvise(b, ps, MADV_DONTNEED);
	umn_unregister(fd, 8);
	t1 = now_ns();

	n = mon_read(mfd, rec, 64);
	for (i = 0; n != 10 && i < n; i++)
		diag("record %d: type %u flags 0x%x [%llx, %llx) cookie %llu aux %llu", i,
		     rec[i].type, rec[i].flags, (unsigned long long)rec[i].start,
		     (unsigned long long)rec[i].end, (unsigned long long)rec[i].cookie,
		     (unsigned long long)rec[i].aux);
	ok(n == 10, "10 records: REGISTER, 2x(INVALIDATE, HIT), READ, REGISTER, INVALIDATE, HIT, UNREGISTER (got %d)", n);
	for (i = 0; i < n; i++) {
		seq_ok &= rec[i].seq == (__u64)i + 1;
		seq_ok &= rec[i].time_ns >= t0 && rec[i].time_ns <= t1;
	}
	ok(seq_ok, "seq 1, 2, 3...; times are CLOCK_MONOTONIC, in order of the calls");
	ok(rec[0].type == REC(REGISTER) && rec[0].start == addr_of(a) &&
	   rec[0].end == addr_of(a) + 4 * ps && rec[0].cookie == 7 &&
	   rec[0].flags == 0 && rec[0].counter == 0,
	   "REGISTER: start, end, cookie, filter 0, counter 0");
	ok(rec[1].type == REC(INVALIDATE) &&
	   rec[1].start == addr_of(arena_page(a, 1)) &&
	   rec[1].end == addr_of(arena_page(a, 2)) &&
	   UMMUNOTIFY_EVENT_REASON(rec[1].flags) == UMMUNOTIFY_REASON_CLEAR &&
	   rec[1].aux == 1 && rec[1].counter == 1,
	   "INVALIDATE: the range, reason CLEAR (not negotiated), 1 registration hit, counter after it 1");
	ok(rec[2].type == REC(HIT) && rec[2].cookie == 7 &&
	   rec[2].flags == UMMUNOTIFY_EVENT_FLAG_HINT &&
	   rec[2].start == addr_of(arena_page(a, 1)) &&
	   rec[2].end == addr_of(arena_page(a, 2)) && rec[2].counter == 1 &&
	   rec[2].time_ns == rec[1].time_ns,
	   "HIT: the cookie, the hint its report carries, HINT, newly queued");
	ok(rec[4].type == REC(HIT) &&
	   rec[4].flags == UMMUNOTIFY_MONITOR_HIT_QUEUED &&
	   rec[4].start == addr_of(a) && rec[4].end == addr_of(a) + 4 * ps &&
	   rec[4].counter == 2,
	   "a second HIT: already queued, HINT cleared, the whole range");
	ok(rec[5].type == REC(READ) && rec[5].aux == 1 &&
	   rec[5].flags == UMMUNOTIFY_MONITOR_READ_LAST && rec[5].counter == 2,
	   "READ: one INVAL taken, ended with LAST (counter 2)");
	ok(rec[9].type == REC(UNREGISTER) && rec[9].cookie == 8 &&
	   rec[9].flags == UMMUNOTIFY_MONITOR_UNREGISTER_QUEUED &&
	   rec[9].start == addr_of(b) && rec[9].end == addr_of(b) + ps,
	   "UNREGISTER of a queued registration says its report was dropped");
	ok(umn_counter_load(counter) == 3 && fdinfo_value(getpid(), fd, "counter") == 3 &&
	   fdinfo_value(getpid(), fd, "registrations") == 1 &&
	   fdinfo_value(getpid(), fd, "queued") == 0,
	   "the monitor moved nothing: counter 3, 1 registration, nothing queued (fdinfo)");
	madvise(a, ps, MADV_DONTNEED);
	ok(fdinfo_value(getpid(), fd, "queued") == 1 &&
	   fdinfo_value(getpid(), fd, "owner-alive") == 1,
	   "fdinfo: queued: 1, owner-alive: 1");
	n = umn_drain(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && is_inval(&ev[0], 7), "the owner still gets its report");
	munmap((void *)counter, ps);
	munmap(a, 4 * ps);
	munmap(b, ps);
	close(mfd);
	close(fd);
}

/* Misses: only to monitors that asked, and taking no seq. */
static void test_misses(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	int plain = mon_open(fd, 0, 0);
	int misses = mon_open(fd, 0, UMMUNOTIFY_MONITOR_MISSES);
	char *a = arena_new(4);
	long ps = page_size();
	int n;

	umn_register(fd, a, ps, 1);
	madvise(arena_page(a, 2), ps, MADV_DONTNEED);
	madvise(a, ps, MADV_DONTNEED);
	n = mon_read(plain, rec, 16);
	ok(n == 3 && rec[0].seq == 1 && rec[1].seq == 2 && rec[2].seq == 3,
	   "without MISSES: REGISTER, INVALIDATE, HIT, no gap");
	n = mon_read(misses, rec, 16);
	ok(n == 4 && rec[1].type == REC(INVALIDATE) && rec[1].aux == 0 &&
	   rec[1].seq == 1 && rec[1].start == addr_of(arena_page(a, 2)) &&
	   rec[1].counter == 0 && rec[2].seq == 2,
	   "with MISSES: the miss too, aux 0, carrying the seq before it");
	close(plain);
	close(misses);
	munmap(a, 4 * ps);
	close(fd);
}

static void test_overflow(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE), mfd = mon_open(fd, 4, 0), n, i;
	struct ummunotify_monitor_query mq;

	for (i = 0; i < 10; i++)
		umn_register_flags(fd, 0x10000 * (i + 1), 0x10000 * (i + 2), i, 0);
	ok(mon_query(mfd, &mq, NULL, 0, NULL, 0) == 0 && mq.dropped == 6 &&
	   mq.seq == 10, "a ring of 4 after 10 records: dropped 6, seq 10");
	n = mon_read(mfd, rec, 16);
	ok(n == 4 && rec[0].seq == 1 && rec[3].seq == 4,
	   "the oldest 4 are kept (newest dropped)");
	umn_unregister(fd, 0);
	n = mon_read(mfd, rec, 16);
	ok(n == 1 && rec[0].seq == 11 && rec[0].type == REC(UNREGISTER),
	   "the next record has seq 11: the gap of 6 is what was dropped");
	ok(fdinfo_value(getpid(), mfd, "dropped") == 6,
	   "the monitor's fdinfo says dropped: 6");
	close(mfd);
	close(fd);
}

static void test_query(void)
{
	int fd = umn_open(UMMUNOTIFY_FEATURE_REASON), mfd, n;
	struct ummunotify_query_reg regs[4];
	struct ummunotify_monitor_query mq;
	char *a = arena_new(4);
	long ps = page_size();
	__u64 queue[4];

	umn_register(fd, a, ps, 1);
	umn_register(fd, arena_page(a, 1), 2 * ps, 2);
	madvise(arena_page(a, 1), ps, MADV_DONTNEED);
	mfd = mon_open(fd, 0, 0);
	ok(mon_query(mfd, &mq, regs, 4, queue, 4) == 0,
	   "MONITOR_QUERY works whatever the owner negotiated (no FEATURE_QUERY)");
	ok(mq.query.nr_regs == 2 && mq.query.nr_queued == 1 && queue[0] == 2 &&
	   mq.query.counter == 1 && regs[1].user_cookie == 2 &&
	   regs[1].state == (UMMUNOTIFY_QUERY_REG_QUEUED | UMMUNOTIFY_QUERY_REG_HINT) &&
	   UMMUNOTIFY_EVENT_REASON(regs[1].reason_flags) == UMMUNOTIFY_REASON_CLEAR &&
	   regs[1].hint_start == addr_of(arena_page(a, 1)),
	   "the snapshot: registrations, queue, counter, hint and reason");
	ok(mq.seq == 0 && mq.dropped == 0,
	   "seq 0: nothing recorded before this monitor attached");
	umn_unregister(fd, 1);
	n = mon_read(mfd, rec, 4);
	ok(n == 1 && rec[0].seq == mq.seq + 1,
	   "the first record after attaching follows the snapshot's seq");
	mq.query.reserved = 1;
	ok(ioctl(mfd, UMMUNOTIFY_MONITOR_QUERY, &mq) < 0 && errno == EINVAL,
	   "reserved not 0: EINVAL");
	ok(ioctl(mfd, UMMUNOTIFY_MONITOR_QUERY, NULL) < 0 && errno == EFAULT,
	   "a bad argument pointer: EFAULT");
	ok(fdinfo_value(getpid(), fd, "features") == UMMUNOTIFY_FEATURE_REASON,
	   "a monitor's QUERY changed nothing in the owner's file");
	close(mfd);
	munmap(a, 4 * ps);
	close(fd);
}

/* A record that cannot be copied is not lost. */
static void test_read_efault(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE), mfd = mon_open(fd, 0, 0);
	void *bad = mmap(NULL, page_size(), PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	umn_register_flags(fd, 0x10000, 0x20000, 1, 0);
	ok(read(mfd, bad, 64) < 0 && errno == EFAULT, "read into a bad buffer: EFAULT");
	munmap(bad, page_size());
	ok(mon_read(mfd, rec, 4) == 1 && rec[0].type == REC(REGISTER),
	   "and the record is read next time");
	close(mfd);
	close(fd);
}

/* The owner's failed copy puts its reports back: the stream says so. */
static void test_owner_read_fault(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE), mfd = mon_open(fd, 0, 0), n;
	void *bad = mmap(NULL, page_size(), PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a = arena_new(1);

	umn_register(fd, a, page_size(), 1);
	madvise(a, page_size(), MADV_DONTNEED);
	ok(read(fd, bad, 2 * sizeof(struct ummunotify_event)) < 0 && errno == EFAULT,
	   "the owner's read into a bad buffer: EFAULT");
	n = mon_read(mfd, rec, 16);
	ok(n == 5 && rec[3].type == REC(READ) && rec[3].aux == 1 &&
	   rec[3].flags == UMMUNOTIFY_MONITOR_READ_LAST &&
	   rec[4].type == REC(READ) && rec[4].aux == 1 &&
	   rec[4].flags == (UMMUNOTIFY_MONITOR_READ_LAST | UMMUNOTIFY_MONITOR_READ_FAULT),
	   "READ (1 report and LAST), then READ with FAULT: they went back to the queue");
	ok(fdinfo_value(getpid(), fd, "queued") == 1 &&
	   umn_drain(fd, ev, UMN_MAX_EVENTS) == 2 && is_inval(&ev[0], 1),
	   "and the owner reads its report next time");
	munmap(bad, page_size());
	munmap(a, page_size());
	close(mfd);
	close(fd);
}

struct waker {
	int fd;
};

static void *waker_main(void *arg)
{
	struct waker *w = arg;

	usleep(100 * 1000);
	umn_register_flags(w->fd, 0x10000, 0x20000, 1, 0);
	return NULL;
}

static void test_blocking_read(void)
{
	struct waker w = { .fd = umn_open(UMN_NO_NEGOTIATE) };
	int mfd = mon_open(w.fd, 0, 0);
	pthread_t t;
	ssize_t n;

	pthread_create(&t, NULL, waker_main, &w);
	n = read(mfd, rec, sizeof(rec));
	pthread_join(t, NULL);
	ok(n == 64 && rec[0].type == REC(REGISTER),
	   "a blocking read wakes with the owner's next record");
	close(mfd);
	close(w.fd);
}

/* The end of the stream: CLOSE, then end of file and POLLHUP. */
static void check_end(int mfd, __u32 close_flags, const char *how)
{
	struct ummunotify_monitor_query mq;
	struct pollfd pfd = { .fd = mfd, .events = POLLIN };
	int n = mon_drain(mfd, rec, 64);

	ok(n >= 1 && rec[n - 1].type == REC(CLOSE) &&
	   rec[n - 1].flags == close_flags && (n < 2 || rec[n - 1].seq == rec[n - 2].seq + 1),
	   "%s: the last record is CLOSE (flags %u)", how, close_flags);
	ok(read(mfd, rec, sizeof(rec)) == 0 && read(mfd, rec, sizeof(rec)) == 0,
	   "%s: then read returns 0, and again", how);
	ok(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLHUP, "%s: poll gives POLLHUP", how);
	ok(mon_query(mfd, &mq, NULL, 0, NULL, 0) == -ENODEV,
	   "%s: MONITOR_QUERY gives ENODEV", how);
}

static void test_owner_close(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE), mfd = mon_open(fd, 0, 0);

	umn_register_flags(fd, 0x10000, 0x20000, 1, 0);
	/* CLOSE comes from the file's release: the monitor does not hold it. */
	close(fd);
	check_end(mfd, 0, "owner close");
	close(mfd);
}

/* A child with one registration; on 'x' it execs, otherwise exits. */
static void owner_body(int fd, char go, void *arg)
{
	(void)arg;
	if (!go)
		umn_register_flags(fd, 0x10000, 0x20000, 1, 0);
	else if (go == 'x')
		execl("/bin/true", "true", (char *)NULL);
}

static pid_t spawn_owner(int *child_fd, int *go)
{
	return spawn_owner_process(UMN_NO_NEGOTIATE, owner_body, NULL,
				   child_fd, go);
}

static void test_owner_exit_and_exec(void)
{
	const char *how[2] = { "owner exit", "owner exec" };
	int i, child_fd, go, dup, mfd, status;
	pid_t pid;

	for (i = 0; i < 2; i++) {
		pid = spawn_owner(&child_fd, &go);
		dup = getfd_of(pid, child_fd);
		ok(dup >= 0, "%s: pidfd_open + pidfd_getfd give a duplicate of the owner's fd", how[i]);
		mfd = mon_open(dup, 0, 0);
		ok(mfd >= 0, "%s: MONITOR_OPEN works on it from another memory map", how[i]);
		ok(fdinfo_value(pid, child_fd, "monitors") == 1 &&
		   fdinfo_value(pid, child_fd, "registrations") == 1,
		   "%s: the owner's fdinfo shows monitors: 1, registrations: 1", how[i]);
		if (write(go, i ? "x" : "q", 1) != 1)
			bail("write");
		waitpid(pid, &status, 0);
		close(go);
		ok(fdinfo_value(getpid(), dup, "owner-alive") == 0,
		   "%s: owner-alive: 0 through the duplicate", how[i]);
		ok(mon_open(dup, 0, 0) == -ENODEV,
		   "%s: MONITOR_OPEN after the memory map went away: ENODEV", how[i]);
		close(dup);
		check_end(mfd, UMMUNOTIFY_MONITOR_CLOSE_MM_GONE, how[i]);
		close(mfd);
	}
}

/* Another user may not take the fd (the kernel's ptrace check). */
static void test_other_user(void)
{
	int child_fd, go, status, result;
	pid_t pid, viewer;

	pid = spawn_owner(&child_fd, &go);
	viewer = fork();
	if (viewer == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		_exit(getfd_of(pid, child_fd) == -EPERM ? 0 : 1);
	}
	waitpid(viewer, &result, 0);
	ok(WIFEXITED(result) && WEXITSTATUS(result) == 0,
	   "another user's pidfd_getfd of the owner's fd: EPERM");
	if (write(go, "q", 1) != 1)
		bail("write");
	waitpid(pid, &status, 0);
	close(go);
}

/* An open monitor pins the module: unloading is refused. */
static void test_module_pinned(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE), mfd = mon_open(fd, 0, 0);
	long ret;

	close(fd);
	ret = syscall(SYS_delete_module, "ummunotify", O_NONBLOCK);
	ok(ret < 0 && (errno == EWOULDBLOCK || errno == EBUSY) &&
	   access(UMN_DEVICE, F_OK) == 0,
	   "unloading the module while a monitor is open is refused");
	check_end(mfd, 0, "owner close before unload");
	close(mfd);
}

int main(void)
{
	test_abi();
	test_open_errors();
	test_descriptor();
	test_records();
	test_misses();
	test_overflow();
	test_query();
	test_read_efault();
	test_owner_read_fault();
	test_blocking_read();
	test_owner_close();
	test_owner_exit_and_exec();
	test_other_user();
	test_module_pinned();
	return tap_done();
}
