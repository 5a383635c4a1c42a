// SPDX-License-Identifier: GPL-2.0
/*
 * The file and other processes and threads: fork children and fd
 * receivers are refused, the owner's exit ends the file, wake-ups
 * (blocking read, poll, epoll, SIGIO), and a failed copy loses nothing.
 */
#include "ummunotify_test.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <linux/userfaultfd.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

static struct ummunotify_event ev[UMN_MAX_EVENTS];

/* Child checks: each bit of the exit status is one refused call. */
static int child_calls_refused(int fd)
{
	struct ummunotify_register_ioctl r = {
		.start = 0x100000, .end = 0x101000, .user_cookie = 99,
	};
	__u64 cookie = 1;
	__u32 mask = 0;
	int bad = 0;

	if (!(ioctl(fd, UMMUNOTIFY_REGISTER_REGION, &r) < 0 && errno == EBADF))
		bad |= 1;
	if (!(ioctl(fd, UMMUNOTIFY_UNREGISTER_REGION, &cookie) < 0 &&
	      errno == EBADF))
		bad |= 2;
	if (!(read(fd, ev, sizeof(ev)) < 0 && errno == EBADF))
		bad |= 4;
	if (!(mmap(NULL, page_size(), PROT_READ, MAP_SHARED, fd, 0) ==
	      MAP_FAILED && errno == EBADF))
		bad |= 8;
	if (!(ioctl(fd, UMMUNOTIFY_EXCHANGE_FEATURES, &mask) < 0 &&
	      errno == EBADF))
		bad |= 16;
	return bad;
}

static void test_fork_child(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	const volatile __u64 *counter = umn_map_counter(fd);
	char *a = arena_new(2);
	int status;
	pid_t pid;

	umn_register(fd, a, page_size(), 1);
	madvise(a, page_size(), MADV_DONTNEED);
	pid = fork();
	if (pid == 0) {
		int bad = child_calls_refused(fd);

		if (madvise((void *)counter, page_size(), MADV_NORMAL) == 0)
			bad |= 32;
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && (WEXITSTATUS(status) & 31) == 0,
	   "a fork child gets EBADF from ioctl, read and mmap (status %d)",
	   WEXITSTATUS(status));
	ok(WIFEXITED(status) && !(WEXITSTATUS(status) & 32),
	   "a fork child does not inherit the counter mapping");
	ok(umn_read(fd, ev, UMN_MAX_EVENTS) == 2 && is_inval(&ev[0], 1) &&
	   ev[1].type == UMMUNOTIFY_EVENT_TYPE_LAST,
	   "the child's refused calls changed nothing: the parent reads its reports");
	ok(umn_unregister(fd, 1) == 0 && umn_unregister(fd, 99) == -EINVAL,
	   "the child's REGISTER did not reach the parent's file");
	munmap(a, 2 * page_size());
	close(fd);
}

static int send_fd(int sock, int fd)
{
	char data = 'f';
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char data;
	struct iovec iov = { .iov_base = &data, .iov_len = 1 };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.buf, .msg_controllen = sizeof(u.buf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/*
 * A child opens the file, queues two reports, sends the fd over a unix
 * socket and exits when told: the parent is a receiver, then a survivor.
 */
static void test_fd_passing_and_owner_exit(void)
{
	struct pollfd pfd;
	int sv[2], fd, status, n;
	__u64 cookie = 1;
	char c = 0;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		bail("socketpair");
	pid = fork();
	if (pid == 0) {
		int cfd = umn_open(UMN_NO_NEGOTIATE);
		char *a = arena_new(4);

		umn_register(cfd, a, page_size(), 1);
		umn_register(cfd, arena_page(a, 2), page_size(), 2);
		madvise(a, page_size(), MADV_DONTNEED);
		if (send_fd(sv[1], cfd) || read(sv[1], &c, 1) != 1)
			_exit(1);
		munmap(arena_page(a, 2), page_size());
		_exit(0);
	}
	fd = recv_fd(sv[0]);
	ok(fd >= 0, "received the fd over SCM_RIGHTS");
	ok(child_calls_refused(fd) == 0,
	   "an SCM_RIGHTS receiver gets EBADF from ioctl, read and mmap");
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ok(poll(&pfd, 1, 0) == 0,
	   "poll shows nothing to a process that does not own the file");

	if (write(sv[0], &c, 1) != 1)
		bail("write");
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the owner exited");
	ok(poll(&pfd, 1, 0) == 1 && pfd.revents == (POLLIN | POLLHUP),
	   "after the owner exits poll reports POLLHUP and POLLIN while reports are pending");
	n = umn_read(fd, ev, 1);
	ok(n == 1 && is_inval(&ev[0], 1),
	   "the survivor drains what was queued: first report");
	n = umn_read(fd, ev, UMN_MAX_EVENTS);
	ok(n == 2 && is_inval(&ev[0], 2) &&
	   ev[1].type == UMMUNOTIFY_EVENT_TYPE_LAST,
	   "then the last report (queued just before exit) and LAST");
	ok(read(fd, ev, sizeof(ev)) == 0, "then read returns 0 (end of file)");
	ok(read(fd, ev, sizeof(ev)) == 0, "and keeps returning 0");
	pfd.revents = 0;
	ok(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLHUP,
	   "poll then reports POLLHUP only");
	ok(ioctl(fd, UMMUNOTIFY_UNREGISTER_REGION, &cookie) < 0 &&
	   errno == ENODEV, "ioctls fail with ENODEV once the owner is gone");
	ok(mmap(NULL, page_size(), PROT_READ, MAP_SHARED, fd, 0) ==
	   MAP_FAILED && errno == ENODEV,
	   "mmap fails with ENODEV once the owner is gone");
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

static void test_owner_exit_wakes_poll(void)
{
	struct pollfd pfd;
	int sv[2], fd, status;
	pid_t pid;
	char c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		bail("socketpair");
	pid = fork();
	if (pid == 0) {
		int cfd = umn_open(UMN_NO_NEGOTIATE);

		if (send_fd(sv[1], cfd) || read(sv[1], &c, 1) != 1)
			_exit(1);
		usleep(200 * 1000);
		_exit(0);
	}
	fd = recv_fd(sv[0]);
	if (write(sv[0], &c, 1) != 1)
		bail("write");
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	ok(poll(&pfd, 1, 20000) == 1 && pfd.revents == POLLHUP,
	   "a survivor blocked in poll wakes with POLLHUP when the owner exits");
	ok(read(fd, ev, sizeof(ev)) == 0,
	   "and its read returns 0 (nothing was queued)");
	waitpid(pid, &status, 0);
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

static void test_exec_survivor(void)
{
	int fd = open(UMN_DEVICE, O_RDONLY), status;
	char fdarg[16];
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		int cfd = open(UMN_DEVICE, O_RDONLY);

		if (cfd < 0)
			_exit(2);
		snprintf(fdarg, sizeof(fdarg), "%d", cfd);
		/* The exec'd image inherits the file (no O_CLOEXEC). */
		execl("/bin/sh", "sh", "-c",
		      "exec 3<&$0; dd bs=32 count=1 <&3 2>/dev/null | wc -c | grep -qx 0",
		      fdarg, (char *)NULL);
		_exit(3);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	   "after exec the inherited file reads end of file (the old memory map is gone)");
	close(fd);
}

static void sigio_handler(int sig)
{
	(void)sig;
}

static volatile sig_atomic_t sigio_count;

static void sigio_counter(int sig)
{
	(void)sig;
	sigio_count++;
}

static void test_poll_epoll_sigio(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	struct epoll_event ee = { .events = EPOLLIN }, out;
	struct sigaction sa = { .sa_handler = sigio_counter };
	int ep = epoll_create1(0);
	char *a = arena_new(4);

	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ee);
	umn_register(fd, a, 4 * page_size(), 1);
	ok(epoll_wait(ep, &out, 1, 0) == 0, "epoll: nothing before an invalidation");
	madvise(a, page_size(), MADV_DONTNEED);
	ok(epoll_wait(ep, &out, 1, 1000) == 1 && (out.events & EPOLLIN),
	   "epoll: EPOLLIN after an invalidation");
	umn_drain(fd, ev, UMN_MAX_EVENTS);
	ok(epoll_wait(ep, &out, 1, 0) == 0, "epoll: nothing after the drain");

	sigaction(SIGIO, &sa, NULL);
	fcntl(fd, F_SETOWN, getpid());
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_ASYNC);
	madvise(arena_page(a, 1), page_size(), MADV_DONTNEED);
	ok(sigio_count >= 1, "SIGIO (F_SETOWN + O_ASYNC) is sent on an invalidation");
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_ASYNC);
	sa.sa_handler = sigio_handler;
	sigaction(SIGIO, &sa, NULL);
	close(ep);
	munmap(a, 4 * page_size());
	close(fd);
}

struct waker {
	char *page;
	int fd;
};

static void *waker_main(void *arg)
{
	struct waker *w = arg;

	usleep(200 * 1000);
	madvise(w->page, page_size(), MADV_DONTNEED);
	return NULL;
}

static void test_blocking_read_woken(void)
{
	struct waker w = { .fd = umn_open(UMN_NO_NEGOTIATE) };
	char *a = arena_new(2);
	pthread_t t;
	ssize_t n;

	w.page = a;
	umn_register(w.fd, a, page_size(), 7);
	pthread_create(&t, NULL, waker_main, &w);
	alarm(20);
	n = read(w.fd, ev, sizeof(ev));
	alarm(0);
	pthread_join(t, NULL);
	ok(n == 2 * (ssize_t)sizeof(*ev) && is_inval(&ev[0], 7),
	   "a blocking read is woken by an invalidation from another thread");
	munmap(a, 2 * page_size());
	close(w.fd);
}

static void test_read_interrupted(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	struct sigaction sa = { .sa_handler = sigio_handler };
	ssize_t n;

	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	n = read(fd, ev, sizeof(ev));
	ok(n < 0 && errno == EINTR,
	   "a blocking read is interrupted by a signal (EINTR)");
	signal(SIGALRM, SIG_DFL);
	close(fd);
}

static volatile sig_atomic_t ticks;

static void tick_handler(int sig)
{
	(void)sig;
	ticks++;
}

/*
 * mmu_notifier_register() gives up with EINTR when a signal is pending
 * while it takes every lock of a big memory map.  A process whose
 * signal handlers restart system calls (Node's SIGCHLD, say) must not
 * see that: open() is restarted instead.
 */
static double seconds_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void test_open_restarted_by_signal(void)
{
	const int pages = 8192, signals = 50, max_opens = 20000;
	struct sigaction sa = { .sa_handler = tick_handler,
				.sa_flags = SA_RESTART };
	struct itimerval every = { 0 }, off = { 0 };
	char *a = mmap(NULL, pages * page_size(), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int opened = 0, interrupted = 0, other = 0, opens, i;
	double began, one_open;
	long period_us;

	if (a == MAP_FAILED)
		bail("mmap");
	/* Every other page read-only: thousands of VMAs to lock. */
	for (i = 0; i < pages; i += 2)
		mprotect(arena_page(a, i), page_size(), PROT_READ);
	began = seconds_now();
	for (i = 0; i < 10; i++)
		close(open(UMN_DEVICE, O_RDONLY));
	one_open = (seconds_now() - began) / 10;
	/* A signal in about every other open(), but not in all of them. */
	period_us = (long)(one_open * 2e6) + 1;
	every.it_interval.tv_usec = period_us;
	every.it_value.tv_usec = period_us;

	ticks = 0;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &every, NULL);
	/*
	 * Until enough signals came: the calibration above is only a guess on
	 * a loaded host, where one open() can take ten times longer or shorter.
	 */
	for (opens = 0; ticks < signals && opens < max_opens; opens++) {
		int fd = open(UMN_DEVICE, O_RDONLY);

		if (fd >= 0) {
			opened++;
			close(fd);
		} else if (errno == EINTR) {
			interrupted++;
		} else {
			other++;
		}
	}
	setitimer(ITIMER_REAL, &off, NULL);
	signal(SIGALRM, SIG_DFL);
	diag("%d opens of a %d-VMA map, a signal every %ld us: %d signals, %d EINTR, %d other errors",
	     opens, pages, period_us, (int)ticks, interrupted, other);
	ok(opened == opens && ticks >= signals,
	   "open() is restarted, never EINTR, when SA_RESTART signals keep arriving during it");
	munmap(a, pages * page_size());
}

static void test_efault_loses_nothing(void)
{
	int fd = umn_open(UMMUNOTIFY_FEATURE_REASON);
	char *a = arena_new(8);
	struct ummunotify_event first[4];
	void *none = mmap(NULL, page_size(), PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *ro;
	int n;

	umn_register(fd, arena_page(a, 0), page_size(), 1);
	umn_register(fd, arena_page(a, 2), 2 * page_size(), 2);
	umn_register(fd, arena_page(a, 5), page_size(), 3);
	madvise(arena_page(a, 5), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 2), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 0), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 3), page_size(), MADV_DONTNEED);

	ok(read(fd, none, 4 * sizeof(*ev)) < 0 && errno == EFAULT,
	   "read into an inaccessible buffer fails with EFAULT");
	n = umn_read(fd, first, 4);
	ok(n == 4 && is_inval(&first[0], 3) && is_inval(&first[1], 2) &&
	   is_inval(&first[2], 1) && first[3].type == UMMUNOTIFY_EVENT_TYPE_LAST,
	   "after EFAULT every report is still there, in the original order");
	ok(n == 4 && has_hint(&first[0], arena_page(a, 5), arena_page(a, 6)) &&
	   first[1].flags == ((UMMUNOTIFY_REASON_CLEAR << 8) |
			      (1U << (16 + UMMUNOTIFY_REASON_CLEAR))) &&
	   first[1].hint_start == addr_of(arena_page(a, 2)) &&
	   first[1].hint_end == addr_of(arena_page(a, 4)),
	   "after EFAULT each report keeps its hint state and reasons");

	madvise(arena_page(a, 5), page_size(), MADV_DONTNEED);
	ro = mmap(NULL, 2 * page_size(), PROT_READ,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ok(read(fd, ro, 2 * sizeof(*ev)) < 0 && errno == EFAULT,
	   "read into a read-only buffer fails with EFAULT");
	ok(umn_read(fd, ev, UMN_MAX_EVENTS) == 2 && is_inval(&ev[0], 3),
	   "the report survives and is read next");
	madvise(arena_page(a, 5), page_size(), MADV_DONTNEED);
	ok(umn_read(fd, ev, 1) == 1 &&
	   read(fd, ro, sizeof(*ev)) < 0 && errno == EFAULT &&
	   umn_read(fd, ev, 4) == 1 && ev[0].type == UMMUNOTIFY_EVENT_TYPE_LAST,
	   "a LAST event lost to EFAULT is returned by the next read");
	munmap(ro, 2 * page_size());
	munmap(none, page_size());
	munmap(a, 8 * page_size());
	close(fd);
}

struct stalled_read {
	int fd;
	void *buf;
	ssize_t ret;
	int err;
};

static void *stalled_read_main(void *arg)
{
	struct stalled_read *r = arg;

	r->ret = read(r->fd, r->buf, 4 * sizeof(*ev));
	r->err = errno;
	return NULL;
}

/*
 * The copy to the user buffer is stalled with userfaultfd; meanwhile one
 * popped registration is hit again and another is unregistered; then the
 * buffer is unmapped so that the copy fails.
 */
static void test_efault_meets_concurrent_changes(void)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	struct uffdio_range wake;
	struct stalled_read r = { .fd = umn_open(UMN_NO_NEGOTIATE) };
	char *a = arena_new(8);
	struct uffd_msg msg;
	struct pollfd pfd;
	pthread_t t;
	int uffd, n;

	uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api)) {
		ok(0, "userfaultfd is available (%s)", strerror(errno));
		return;
	}
	r.buf = mmap(NULL, page_size(), PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	reg.range.start = addr_of(r.buf);
	reg.range.len = page_size();
	if (ioctl(uffd, UFFDIO_REGISTER, &reg))
		bail("UFFDIO_REGISTER");

	umn_register(r.fd, arena_page(a, 0), page_size(), 1);
	umn_register(r.fd, arena_page(a, 2), 2 * page_size(), 2);
	umn_register(r.fd, arena_page(a, 5), page_size(), 3);
	madvise(arena_page(a, 0), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 2), page_size(), MADV_DONTNEED);
	madvise(arena_page(a, 5), page_size(), MADV_DONTNEED);

	pthread_create(&t, NULL, stalled_read_main, &r);
	pfd = (struct pollfd){ .fd = uffd, .events = POLLIN };
	if (poll(&pfd, 1, 20000) != 1 || read(uffd, &msg, sizeof(msg)) !=
	    sizeof(msg) || msg.event != UFFD_EVENT_PAGEFAULT)
		bail("no userfault from the stalled read");
	madvise(arena_page(a, 3), page_size(), MADV_DONTNEED);
	ok(umn_unregister(r.fd, 3) == 0,
	   "UNREGISTER proceeds while a reader is stalled copying out");
	munmap(r.buf, page_size());
	wake.start = reg.range.start;
	wake.len = page_size();
	ioctl(uffd, UFFDIO_WAKE, &wake);
	pthread_join(t, NULL);
	ok(r.ret < 0 && r.err == EFAULT,
	   "the stalled read fails with EFAULT once its buffer is gone");
	n = umn_read(r.fd, ev, UMN_MAX_EVENTS);
	ok(n == 3 && is_inval(&ev[0], 1) &&
	   has_hint(&ev[0], arena_page(a, 0), arena_page(a, 1)),
	   "after EFAULT the first report is back at the head with its hint");
	ok(n == 3 && is_inval(&ev[1], 2) && ev[1].flags == 0 &&
	   ev[1].hint_start == addr_of(arena_page(a, 2)) &&
	   ev[1].hint_end == addr_of(arena_page(a, 4)),
	   "a registration hit again meanwhile is merged as a second hit, in its original place");
	ok(n == 3 && ev[2].type == UMMUNOTIFY_EVENT_TYPE_LAST &&
	   ev[2].user_cookie_counter == 4,
	   "a registration unregistered meanwhile is not reported");
	close(uffd);
	munmap(a, 8 * page_size());
	close(r.fd);
}

static void test_close_with_pending(void)
{
	int fd = umn_open(UMN_NO_NEGOTIATE);
	const volatile __u64 *counter = umn_map_counter(fd);
	char *a = arena_new(4);
	int i;

	for (i = 0; i < 1000; i++)
		umn_register(fd, arena_page(a, i % 4), page_size(), i);
	madvise(a, 4 * page_size(), MADV_DONTNEED);
	close(fd);
	ok(umn_counter_load(counter) == 1,
	   "the counter mapping stays valid after close");
	munmap((void *)counter, page_size());
	munmap(a, 4 * page_size());
	ok(1, "close with queued reports and a live mapping frees cleanly (checked by the VM's kernel log)");
}

int main(void)
{
	test_fork_child();
	test_fd_passing_and_owner_exit();
	test_owner_exit_wakes_poll();
	test_exec_survivor();
	test_poll_epoll_sigio();
	test_blocking_read_woken();
	test_read_interrupted();
	test_open_restarted_by_signal();
	test_efault_loses_nothing();
	test_efault_meets_concurrent_changes();
	test_close_with_pending();
	return tap_done();
}
