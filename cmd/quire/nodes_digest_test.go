package main

import (
	"context"
	"fmt"
	"net/http"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"quire/internal/store/testdb"
)

// TestTwoNodesDigestOnce: a reader's daily digest of a saved search goes
// out exactly once while two running nodes look for due digests ten times
// a second and three `quire digest --now` runs race them on the same
// PostgreSQL, all sending through the SMTP sink.
func TestTwoNodesDigestOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers; skipped with -short")
	}
	if testdb.PostgresURL() == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	db := testdb.Schema(t, testdb.PostgresURL())
	sink := startSMTPSinkForNodes(t)
	author := addWriterForCLI(t, db, "author", "author@example.test")
	reader := addWriterForCLI(t, db, "reader", "reader@example.test")
	bystander := addWriterForCLI(t, db, "bystander", "bystander@example.test")
	args := []string{"--db", db, "--api-rate-limit", "0", "--login-rate-limit", "0", "--smtp", sink.url}
	a := startServerForCLI(t, 60*time.Second, nil, append(args, "--digest-interval", "0")...)
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	postWorkForNodes(t, client, a.URL, author, "Before The Search", "Harbour Lights", "Lamps")
	time.Sleep(1100 * time.Millisecond)
	apiForNodes(t, client, http.MethodPost, a.URL+"/api/v1/me/searches", reader,
		`{"name":"Harbour","params":{"fandom":["Harbour Lights"]},"digest":"daily"}`, http.StatusCreated)
	apiForNodes(t, client, http.MethodPost, a.URL+"/api/v1/me/searches", bystander,
		`{"name":"Elsewhere","params":{"q":"nothing-matches-this"},"digest":"daily"}`, http.StatusCreated)
	postWorkForNodes(t, client, a.URL, author, "Tide Tables", "Harbour Lights", "Lamps")
	postWorkForNodes(t, client, a.URL, author, "Night Ferry", "Harbour Lights", "Lamps")
	time.Sleep(1100 * time.Millisecond) // the works' second has passed: they are due

	bin := buildQuireForCLI(t)
	var wg sync.WaitGroup
	outs := make([]string, 3)
	start := make(chan struct{})
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin, "digest", "--now", "--db", db, "--smtp", sink.url)
			cmd.Env = cliCleanEnv()
			out, err := cmd.CombinedOutput()
			outs[i] = fmt.Sprintf("%s(err %v)", out, err)
		}()
	}
	fast := append(args, "--digest-interval", "100ms")
	b := startServerForCLI(t, 60*time.Second, nil, fast...)
	c := startServerForCLI(t, 60*time.Second, nil, fast...)
	close(start)
	wg.Wait()
	within(t, 20*time.Second, "the digest mail", func() bool { return sink.count() >= 1 })
	time.Sleep(3 * time.Second) // a second digest would have gone out by now
	if n, who := sink.count(), sink.recipients(); n != 1 || who != "reader@example.test" {
		t.Fatalf("%d messages to %q, want exactly one to the reader; digest runs:\n%s", n, who, strings.Join(outs, "\n"))
	}
	mailed := 0
	for _, o := range outs {
		if m := regexp.MustCompile(`digest: (\d+) mailed`).FindStringSubmatch(o); m != nil {
			n, _ := strconv.Atoi(m[1])
			mailed += n
		} else {
			t.Errorf("a digest run said: %s", o)
		}
	}
	t.Logf("the CLI runs queued %d of the 1 digest; the nodes the rest", mailed)
	// Another pass later the same day sends nothing more.
	res := runQuireForCLI(t, nil, "digest", "--now", "--db", db, "--smtp", sink.url)
	if res.Code != 0 || !strings.Contains(res.Stdout, "digest: 0 mailed, 0 with no new works") {
		t.Fatalf("a later pass: %d %s %s", res.Code, res.Stdout, res.Stderr)
	}
	_, _ = b, c
	if n := sink.count(); n != 1 {
		t.Fatalf("%d messages after a later pass", n)
	}
}
