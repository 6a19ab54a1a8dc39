/* startup_clock.c: startup.py's stopwatch: the time a command takes to run to its end, or a server
 * takes from process start to its first `GET /readyz` answered 200.
 *
 *   startup_clock run CMD...          runs CMD to its end (its output to /dev/null) and prints the
 *                                     milliseconds from just before the spawn to its exit; exit 1 when
 *                                     CMD fails
 *   startup_clock ready PORT LOG CMD...
 *                                     spawns CMD (its stderr appended to the file LOG, its stdout
 *                                     /dev/null),
 *                                     asks GET /readyz on 127.0.0.1:PORT on a new connection every
 *                                     0.2 ms until it answers 200, prints the milliseconds from just
 *                                     before the spawn to that answer, then stops CMD with SIGTERM and
 *                                     waits for it; exit 1 when it exits before, fails after SIGTERM,
 *                                     or is not ready within 30 s
 *
 * Why C: the poller runs on the same two cores as the start it measures (graphgate and the
 * PostgreSQL backends it starts). startup.py's Python poller spent about 130 us of CPU per attempt
 * (the interpreter around socket, connect, close and the sleep): at one attempt every 0.2 ms that is
 * most of a core taken from the start being timed. Here an attempt is the system calls alone, on a
 * socket kept between refused attempts (Linux lets a socket connect again after ECONNREFUSED), at
 * the same interval or finer: the measure is as strict, and the start keeps its CPU. The commands
 * are spawned alike (posix_spawn) for the baseline, the floor and the server, from the same clock
 * (CLOCK_MONOTONIC). */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define POLL_INTERVAL_NS 200000L /* 0.2 ms, as startup.py's Python poller asked */
#define READY_LIMIT_MS 30000.0

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Spawns argv with stdout on /dev/null and stderr appended to the file log; exits 1 when it cannot. */
static pid_t spawn(char **argv, const char *log)
{
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log, O_WRONLY | O_APPEND | O_CREAT, 0644);
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (err != 0) {
        fprintf(stderr, "startup_clock: cannot start %s: %s\n", argv[0], strerror(err));
        exit(1);
    }
    return pid;
}

/* The exit status of a waited child as a shell shows it (128 + signal when killed). */
static int exit_code(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run(char **argv)
{
    double start = now_ms();
    pid_t pid = spawn(argv, "/dev/null");
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    double elapsed = now_ms() - start;
    if (exit_code(status) != 0) {
        fprintf(stderr, "startup_clock: %s exited with %d\n", argv[0], exit_code(status));
        return 1;
    }
    printf("%.3f\n", elapsed);
    return 0;
}

static int new_socket(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("startup_clock: socket");
        exit(1);
    }
    struct timeval second = {.tv_sec = 1};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &second, sizeof second);
    return fd;
}

/* One attempt on *fd: true when /readyz answered 200. A refused connect keeps the socket for the next
 * attempt; one that connected is closed and replaced (a TCP socket connects once). */
static bool ready(int *fd, const struct sockaddr_in *address)
{
    if (connect(*fd, (const struct sockaddr *)address, sizeof *address) != 0) {
        if (errno != ECONNREFUSED && errno != EINTR) { /* anything else: start again on a new socket */
            close(*fd);
            *fd = new_socket();
        }
        return false;
    }
    static const char request[] = "GET /readyz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n";
    char answer[16];
    size_t got = 0;
    bool sent = send(*fd, request, sizeof request - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof request - 1);
    while (sent && got < sizeof answer) {
        ssize_t n = recv(*fd, answer + got, sizeof answer - got, 0);
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(*fd);
    *fd = new_socket();
    return got >= 12 && memcmp(answer, "HTTP/1.1 200", 12) == 0;
}

static int ready_time(const char *port_text, const char *log, char **argv)
{
    char *end;
    long port = strtol(port_text, &end, 10);
    if (*end != '\0' || port <= 0 || port > 65535) {
        fprintf(stderr, "startup_clock: %s is not a port\n", port_text);
        return 1;
    }
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = new_socket();
    double start = now_ms();
    pid_t pid = spawn(argv, log);
    int status;
    unsigned attempts = 1;
    while (!ready(&fd, &address)) {
        pid_t gone = waitpid(pid, &status, WNOHANG);
        if (gone == pid) {
            fprintf(stderr, "startup_clock: the server exited with %d before /readyz answered 200\n",
                    exit_code(status));
            return 1;
        }
        if (now_ms() - start > READY_LIMIT_MS) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            fprintf(stderr, "startup_clock: /readyz did not answer 200 within 30 s\n");
            return 1;
        }
        struct timespec pause = {.tv_nsec = POLL_INTERVAL_NS};
        nanosleep(&pause, NULL);
        attempts++;
    }
    double elapsed = now_ms() - start;
    struct rusage own;
    getrusage(RUSAGE_SELF, &own);
    double cpu = (double)(own.ru_utime.tv_sec + own.ru_stime.tv_sec) * 1e3 +
                 (double)(own.ru_utime.tv_usec + own.ru_stime.tv_usec) / 1e3;
    close(fd);
    kill(pid, SIGTERM);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (exit_code(status) != 0) {
        fprintf(stderr, "startup_clock: the server exited with %d after SIGTERM\n", exit_code(status));
        return 1;
    }
    printf("%.3f %.3f %u\n", elapsed, cpu, attempts);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "run") == 0) return run(argv + 2);
    if (argc >= 5 && strcmp(argv[1], "ready") == 0) return ready_time(argv[2], argv[3], argv + 4);
    fprintf(stderr, "usage: startup_clock run CMD... | startup_clock ready PORT LOG CMD...\n");
    return 2;
}
