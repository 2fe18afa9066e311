package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"quire/internal/store/postgres"
	"quire/internal/store/testdb"
)

// TestTwoNodesOnePostgres runs two real `quire serve` processes against one
// PostgreSQL schema (issue 6): what one node commits reaches the other's
// in-memory index within a second, sessions and tokens work on both, a
// killed node loses nothing it acknowledged while the other keeps serving,
// and a mail job is sent once.
func TestTwoNodesOnePostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("runs two real servers; skipped with -short")
	}
	if testdb.PostgresURL() == "" {
		t.Skip("QUIRE_TEST_POSTGRES is not set")
	}
	db := testdb.Schema(t, testdb.PostgresURL())
	sink := startSMTPSinkForNodes(t)
	writer := addWriterForCLI(t, db, "writer", "writer@example.test")
	wrangler := addWriterForCLI(t, db, "wrangler", "wrangler@example.test", "--wrangler")
	reader := addWriterForCLI(t, db, "reader", "reader@example.test")
	args := []string{"--db", db, "--api-rate-limit", "0", "--login-rate-limit", "0", "--smtp", sink.url}
	a := startServerForCLI(t, 60*time.Second, nil, args...)
	b := startServerForCLI(t, 60*time.Second, nil, args...)
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	// A work posted on A appears in B's filtered listing within a second.
	id := postWorkForNodes(t, client, a.URL, writer, "Lamps of the Harbour", "Harbour Lights", "Lantern Keeping")
	within(t, time.Second, "the work posted on A in B's listing", func() bool {
		return listingIDs(t, client, b.URL, "freeform=Lantern+Keeping") == fmt.Sprint([]int64{id})
	})

	// A wrangling change on A reaches B: "Lantern Keeping" becomes a
	// synonym of the canonical "Lamplighting", so filtering on B by the
	// canonical tag finds the work.
	postWorkForNodes(t, client, a.URL, writer, "Other Lamps", "Harbour Lights", "Lamplighting")
	apiForNodes(t, client, http.MethodPatch, a.URL+"/api/v1/tags/Lamplighting", wrangler, `{"canonical": true}`, http.StatusOK)
	apiForNodes(t, client, http.MethodPatch, a.URL+"/api/v1/tags/Lantern%20Keeping", wrangler, `{"synonym_of": "Lamplighting"}`, http.StatusOK)
	within(t, time.Second, "the synonym made on A filtering on B", func() bool {
		return strings.Contains(listingIDs(t, client, b.URL, "freeform=Lamplighting"), fmt.Sprint(id))
	})

	// Kudos left on B are counted on A, in the work and in the kudos sort.
	apiForNodes(t, client, http.MethodPost, fmt.Sprintf("%s/api/v1/works/%d/kudos", b.URL, id), reader, `{}`, http.StatusCreated)
	within(t, time.Second, "kudos given on B counted on A", func() bool {
		var w struct {
			Kudos int `json:"kudos"`
		}
		getJSONForCLI(t, client, fmt.Sprintf("%s/api/v1/works/%d", a.URL, id), "", &w)
		return w.Kudos == 1 && strings.HasPrefix(listingIDs(t, client, a.URL, "sort=kudos"), fmt.Sprintf("[%d", id))
	})

	// B's /metrics shows the change feed at work.
	resp0, err := client.Get(b.MetricsURL)
	if err != nil {
		t.Fatal(err)
	}
	metricsText, _ := io.ReadAll(resp0.Body)
	resp0.Body.Close()
	for _, want := range []string{"quire_change_feed_applied_total ", "quire_change_feed_lag_seconds ", "quire_index_works ", "quire_jobs_pending ", `quire_http_requests_total{kind="api"`} {
		if !strings.Contains(string(metricsText), want) {
			t.Errorf("B's /metrics lacks %q", want)
		}
	}

	// A login on A is a session on B.
	cookie := loginForNodes(t, a.URL, "reader")
	req, _ := http.NewRequest(http.MethodGet, b.URL+"/account/preferences", nil)
	req.AddCookie(cookie)
	resp, err := (&http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("A's session on B: GET /account/preferences answered %d, want 200", resp.StatusCode)
	}

	// Mail enqueued while both nodes run goes out once.
	before := sink.count()
	for _, name := range []string{"writer", "wrangler", "reader"} {
		form := url.Values{"login": {name}}
		resp, err := client.PostForm(a.URL+"/password_reset", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	within(t, 15*time.Second, "three reset mails sent", func() bool { return sink.count() >= before+3 })
	time.Sleep(2 * time.Second) // a second sending would have happened by now
	if got := sink.recipients(); strings.Count(got, "reader@example.test") != 1 || strings.Count(got, "writer@example.test") != 1 {
		t.Errorf("each reset mail must be sent exactly once; recipients: %s", got)
	}

	// A killed mid-write: every work it acknowledged is on B, and B serves.
	var seq atomic.Int64
	seq.Store(1000)
	acked := writeUntilKilled(t, a, writer, 1, &seq)
	checkAcknowledged(t, b, writer, acked)
	// Works A committed but could not acknowledge are there too: B's
	// listing counts exactly what the database holds.
	sqlDB, err := postgres.OpenDB(db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	var stored int
	if err := sqlDB.QueryRow(`SELECT COUNT(*) FROM works WHERE title LIKE 'Durable %'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored < len(acked) {
		t.Fatalf("the database holds %d works, fewer than the %d acknowledged", stored, len(acked))
	}
	within(t, 2*time.Second, "B's listing counting every work A committed", func() bool {
		var list struct {
			Total int `json:"total"`
		}
		getJSONForCLI(t, client, b.URL+"/api/v1/works?fandom=Testing&per_page=1", writer, &list)
		return list.Total == stored
	})
	t.Logf("A acknowledged %d works (committed %d) before SIGKILL; B lists all of them", len(acked), stored)
}

// within polls cond until it holds or d has passed.
func within(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func apiForNodes(t *testing.T, client *http.Client, method, url, token, body string, want int) []byte {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s, want %d", method, url, resp.StatusCode, b, want)
	}
	return b
}

func postWorkForNodes(t *testing.T, client *http.Client, base, token, title, fandom, freeform string) int64 {
	t.Helper()
	body, _ := json.Marshal(map[string]any{
		"title": title, "rating": "General Audiences", "warnings": []string{"No Archive Warnings Apply"},
		"fandoms": []string{fandom}, "freeforms": []string{freeform},
		"chapters": []map[string]string{{"body": "A lamp was lit at the end of the pier."}},
	})
	var w struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(apiForNodes(t, client, http.MethodPost, base+"/api/v1/works", token, string(body), http.StatusCreated), &w); err != nil {
		t.Fatal(err)
	}
	return w.ID
}

// listingIDs is the ids of the first page of /api/v1/works?query, as "[1 2]".
func listingIDs(t *testing.T, client *http.Client, base, query string) string {
	t.Helper()
	var list struct {
		Works []struct {
			ID int64 `json:"id"`
		} `json:"works"`
	}
	getJSONForCLI(t, client, base+"/api/v1/works?"+query, "", &list)
	ids := []int64{}
	for _, w := range list.Works {
		ids = append(ids, w.ID)
	}
	return fmt.Sprint(ids)
}

func loginForNodes(t *testing.T, base, name string) *http.Cookie {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(base+"/login", url.Values{"login": {name}, "password": {"correct horse battery staple"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Value != "" && ck.MaxAge >= 0 {
			return ck
		}
	}
	t.Fatalf("login on %s: %d and no session cookie", base, resp.StatusCode)
	return nil
}

// smtpSinkForNodes is a minimal SMTP server on loopback that records the
// recipients of every message it accepts.
type smtpSinkForNodes struct {
	url string
	mu  sync.Mutex
	rcp []string
}

func (s *smtpSinkForNodes) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rcp)
}

func (s *smtpSinkForNodes) recipients() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.rcp, " ")
}

func startSMTPSinkForNodes(t *testing.T) *smtpSinkForNodes {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &smtpSinkForNodes{url: "smtp://" + ln.Addr().String()}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSinkForNodes) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 sink ESMTP\r\n")
	var to []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			fmt.Fprint(c, "250 sink\r\n")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			to = append(to, strings.Trim(strings.TrimSpace(line)[len("RCPT TO:"):], "<> "))
			fmt.Fprint(c, "250 ok\r\n")
		case cmd == "DATA":
			fmt.Fprint(c, "354 go on\r\n")
			var body bytes.Buffer
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
				body.WriteString(l)
			}
			s.mu.Lock()
			s.rcp = append(s.rcp, to...)
			s.mu.Unlock()
			to = nil
			fmt.Fprint(c, "250 queued\r\n")
		case cmd == "QUIT":
			fmt.Fprint(c, "221 bye\r\n")
			return
		default: // MAIL FROM, RSET, NOOP
			fmt.Fprint(c, "250 ok\r\n")
		}
	}
}
