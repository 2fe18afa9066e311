package main

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"quire/internal/store/testdb"
)

// TestTwoNodesSignupPolicy: the sign-up policy starts from the flag (here
// from QUIRE_SIGNUP), an admin's change on A rules B within a second, a
// node started later with another flag keeps what the admin set, and each
// node counts what its defences stopped on /metrics.
func TestTwoNodesSignupPolicy(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real servers; skipped with -short")
	}
	if testdb.PostgresURL() == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	db := testdb.Schema(t, testdb.PostgresURL())
	addWriterForCLI(t, db, "boss", "boss@example.test", "--admin")
	args := []string{"--db", db, "--api-rate-limit", "0", "--login-rate-limit", "0"}
	a := startServerForCLI(t, 60*time.Second, []string{"QUIRE_SIGNUP=invite"}, args...)
	b := startServerForCLI(t, 60*time.Second, []string{"QUIRE_SIGNUP=invite"}, args...)
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	page := func(base, path string) string {
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	if p := page(b.URL, "/signup"); !strings.Contains(p, "need an invitation") {
		t.Fatalf("B's sign-up page under --signup invite:\n%s", p)
	}

	// The admin closes sign-ups on A; B follows within a second.
	cookie := loginForNodes(t, a.URL, "boss")
	form := url.Values{"signup": {"closed"}, "new_account_hours": {"24"}, "new_account_works": {"3"}, "review_first_works": {"0"}}
	req, _ := http.NewRequest(http.MethodPost, a.URL+"/admin/settings", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	resp, err := (&http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the settings on A: %d", resp.StatusCode)
	}
	start := time.Now()
	within(t, time.Second, "B's sign-up page closed after A's change", func() bool {
		return strings.Contains(page(b.URL, "/signup"), "Sign-ups are closed")
	})
	t.Logf("the policy change reached B after %v", time.Since(start).Round(time.Millisecond))

	// A sign-up on B is refused, and B counts it.
	resp, err = client.PostForm(b.URL+"/signup", url.Values{"name": {"late"}, "email": {"late@example.test"},
		"password": {"correct horse"}, "password_confirmation": {"correct horse"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("sign-up on closed B: %d, want 403", resp.StatusCode)
	}
	if m := page(strings.TrimSuffix(b.MetricsURL, "/metrics"), "/metrics"); !strings.Contains(m, `quire_spam_stopped_total{defence="signup_refused"} 1`) {
		t.Errorf("B's /metrics does not count the refused sign-up:\n%s", m)
	}

	// A node started with --signup open keeps what the admin set.
	c := startServerForCLI(t, 60*time.Second, nil, append(args, "--signup", "open")...)
	if p := page(c.URL, "/signup"); !strings.Contains(p, "Sign-ups are closed") {
		t.Errorf("a node started with --signup open overrode the admin's setting:\n%s", p)
	}
	if !strings.Contains(c.stderr.String(), "differ from the sign-up policy flags") {
		t.Errorf("the node started with another policy did not say which applies:\n%s", c.stderr.String())
	}
}
