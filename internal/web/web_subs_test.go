package web_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"quire/internal/archive"
	"quire/internal/jobs"
	"quire/internal/mail"
	"quire/internal/site"
	"quire/internal/site/sitetest"
	"quire/internal/store"
	"quire/internal/store/sqlstore"
	"quire/internal/store/testdb"
	"quire/internal/web"
)

// smtpSink is a small SMTP server on loopback that records every message.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []sunk
	wg   sync.WaitGroup
}

type sunk struct {
	From string
	To   []string
	Data []byte
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				s.session(c)
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpSink) url() string { return "smtp://" + s.ln.Addr().String() }

func (s *smtpSink) messages() []sunk {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sunk(nil), s.msgs...)
}

func (s *smtpSink) session(c net.Conn) {
	tp := textproto.NewConn(c)
	say := func(line string) { tp.PrintfLine("%s", line) }
	say("220 sink.test ESMTP")
	var cur sunk
	arg := func(a string) string {
		_, rest, _ := strings.Cut(a, ":")
		rest, _, _ = strings.Cut(strings.TrimSpace(rest), " ")
		return strings.Trim(rest, "<>")
	}
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, rest, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			say("250-sink.test")
			say("250 8BITMIME")
		case "HELO":
			say("250 sink.test")
		case "MAIL":
			cur = sunk{From: arg(rest)}
			say("250 ok")
		case "RCPT":
			cur.To = append(cur.To, arg(rest))
			say("250 ok")
		case "DATA":
			say("354 go ahead")
			var data []byte
			r := tp.Reader.R
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data = append(data, strings.TrimPrefix(l, ".")...)
			}
			cur.Data = data
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			say("250 queued")
		case "RSET", "NOOP":
			say("250 ok")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// parsedMail is a received message with its decoded subject and parts.
type parsedMail struct {
	Header  netmail.Header
	Subject string
	Text    string
	HTML    string
}

func parseMail(t *testing.T, data []byte) parsedMail {
	t.Helper()
	m, err := netmail.ReadMessage(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	subject, err := dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatal(err)
	}
	p := parsedMail{Header: m.Header, Subject: subject}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("content type %q: %v", m.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(quotedprintable.NewReader(part))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(part.Header.Get("Content-Type"), "text/html") {
			p.HTML = string(body)
		} else {
			p.Text = string(body)
		}
	}
	return p
}

// mailRig is an archive whose mail goes over SMTP to a sink on loopback and
// whose links point at its own pages.
type mailRig struct {
	*rig
	st   *sqlstore.Store
	jobs *jobs.Runner
	sink *smtpSink
}

func openMailRig(t *testing.T, dir string, sink *smtpSink) *mailRig {
	t.Helper()
	sender, err := mail.NewSMTP(sink.url(), "Quire <noreply@quire.test>")
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	a := sitetest.Open(t, sitetest.Options{Loc: dir, BaseURL: srv.URL, Mailer: sender})
	if h, err = web.New(a.Site, web.Options{}); err != nil {
		t.Fatal(err)
	}
	r := &mailRig{rig: &rig{t: t, dir: dir, site: a.Site, store: a.Store, srv: srv, mailLog: &sitetest.Buffer{}}, st: a.Store, jobs: a.Jobs, sink: sink}
	return r
}

func (r *mailRig) user(name string, email bool) *archive.User {
	r.t.Helper()
	ctx := context.Background()
	u, err := r.site.Signup(ctx, site.SignupInput{Name: name, Email: name + "@example.test", Password: "correct horse", Confirmation: "correct horse"})
	if err != nil {
		r.t.Fatal(err)
	}
	p := u.Preferences
	p.EmailNotify = email
	if u.Preferences, err = r.site.SetPreferences(ctx, u, p); err != nil {
		r.t.Fatal(err)
	}
	return u
}

func (r *mailRig) work(u *archive.User, title string) *archive.Work {
	r.t.Helper()
	w, err := r.site.PostWork(context.Background(), u, archive.WorkInput{Title: title, Rating: archive.RatingGeneral,
		Warnings: []string{archive.WarningNone}, Fandoms: []string{"Lantern Tales"},
		Chapters: []archive.ChapterInput{{Body: "<p>The first chapter.</p>"}}})
	if err != nil {
		r.t.Fatal(err)
	}
	return w
}

func (r *mailRig) chapter(u *archive.User, w *archive.Work, title string, draft bool) *archive.Chapter {
	r.t.Helper()
	c, err := r.site.AddChapter(context.Background(), u, w.ID, 0, archive.ChapterInput{Title: title, Body: "<p>More of it.</p>", Draft: draft})
	if err != nil {
		r.t.Fatal(err)
	}
	return c
}

func (r *mailRig) runJobs() {
	r.t.Helper()
	if _, err := r.jobs.RunDue(context.Background()); err != nil {
		r.t.Fatal(err)
	}
}

func (r *mailRig) inbox(u *archive.User) *site.InboxView {
	r.t.Helper()
	v, err := r.site.Inbox(context.Background(), u, false, 1, 100)
	if err != nil {
		r.t.Fatal(err)
	}
	return v
}

var unsubRe = regexp.MustCompile(`https?://[^\s"<>]+/unsubscribe/[A-Za-z0-9._-]+`)

func TestNewChapterMailOverSMTPAndUnsubscribeLink(t *testing.T) {
	sink := newSMTPSink(t)
	r := openMailRig(t, testdb.Location(t), sink)
	ctx := context.Background()
	alice := r.user("alice", true)
	bob := r.user("bob", true)
	carol := r.user("carol", false) // inbox only
	w := r.work(alice, "Lighthouse Keeper")

	// Bob subscribes through the work page's form; carol follows alice.
	reader := r.browser()
	reader.post("/login", url.Values{"login": {"bob"}, "password": {"correct horse"}}).status_(t, 200)
	reader.get(fmt.Sprintf("/works/%d", w.ID)).status_(t, 200).has(t, `action="/subscriptions"`, ">Subscribe</button>")
	reader.post("/subscriptions", url.Values{"kind": {"work"}, "target": {fmt.Sprint(w.ID)}, "return_to": {fmt.Sprintf("/works/%d", w.ID)}}).status_(t, 200)
	if !r.site.IsSubscribed(ctx, bob, store.SubWork, w.ID) {
		t.Fatal("bob is not subscribed after the form")
	}
	if _, err := r.site.Subscribe(ctx, carol, site.SubscriptionTarget{Kind: "user", Target: "alice"}); err != nil {
		t.Fatal(err)
	}
	if _, err := r.site.Subscribe(ctx, alice, site.SubscriptionTarget{Kind: "work", Target: fmt.Sprint(w.ID)}); err == nil {
		t.Error("alice subscribed to her own work")
	}

	// A draft chapter notifies nobody.
	r.chapter(alice, w, "Not yet", true)
	if n, _ := r.st.PendingJobs(ctx); n != 0 {
		t.Errorf("a draft chapter queued %d jobs", n)
	}
	if v := r.inbox(bob); v.Total != 0 {
		t.Errorf("a draft chapter reached bob's inbox: %d", v.Total)
	}

	c := r.chapter(alice, w, "The Storm", false)
	if len(sink.messages()) != 0 {
		t.Fatal("mail sent inside the request instead of queued")
	}
	r.runJobs()
	msgs := sink.messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1 (to bob; carol has e-mail off, alice is the creator)", len(msgs))
	}
	m := msgs[0]
	if len(m.To) != 1 || m.To[0] != "bob@example.test" {
		t.Errorf("envelope to %v", m.To)
	}
	pm := parseMail(t, m.Data)
	if to := pm.Header.Get("To"); !strings.Contains(to, "bob@example.test") {
		t.Errorf("To: %q", to)
	}
	if want := fmt.Sprintf("[Quire] Chapter %d of “Lighthouse Keeper” by alice", c.Position); pm.Subject != want {
		t.Errorf("subject %q, want %q", pm.Subject, want)
	}
	link := fmt.Sprintf("%s/works/%d/chapters/%d", r.srv.URL, w.ID, c.ID)
	if !strings.Contains(pm.Text, link) || !strings.Contains(pm.HTML, link) {
		t.Errorf("no chapter link %s in\n%s\n%s", link, pm.Text, pm.HTML)
	}
	unsub := unsubRe.FindString(pm.Text)
	if unsub == "" || !strings.HasPrefix(unsub, r.srv.URL+"/unsubscribe/") || !strings.Contains(pm.HTML, unsub) {
		t.Fatalf("no unsubscribe link in\n%s", pm.Text)
	}
	if lu := pm.Header.Get("List-Unsubscribe"); lu != "<"+unsub+">" {
		t.Errorf("List-Unsubscribe %q, want <%s>", lu, unsub)
	}
	if pm.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post %q", pm.Header.Get("List-Unsubscribe-Post"))
	}

	// Both subscribers see it in their inbox; the creator does not.
	for _, u := range []*archive.User{bob, carol} {
		v := r.inbox(u)
		if v.Total != 1 || v.Unread != 1 || v.Items[0].Kind != store.InboxChapter || v.Items[0].ChapterID != c.ID {
			t.Errorf("%s's inbox: %+v", u.Name, v)
		}
	}
	if v := r.inbox(alice); v.Total != 0 {
		t.Errorf("alice was told of her own chapter")
	}
	reader.get("/inbox").status_(t, 200).has(t, "Lighthouse Keeper", "The Storm", "1 unread")

	// The link works without logging in: GET asks and changes nothing...
	guest := r.browser()
	path := strings.TrimPrefix(unsub, r.srv.URL)
	guest.get(path).status_(t, 200).has(t, "Unsubscribe?", "Lighthouse Keeper")
	if !r.site.IsSubscribed(ctx, bob, store.SubWork, w.ID) {
		t.Fatal("GET of the unsubscribe link unsubscribed")
	}
	guest.get(path[:len(path)-3]+"abc").status_(t, 404)
	// ...POST unsubscribes.
	guest.post(path, url.Values{}).status_(t, 200).has(t, "Unsubscribed")
	if r.site.IsSubscribed(ctx, bob, store.SubWork, w.ID) {
		t.Fatal("still subscribed after POST")
	}
	guest.post(path, url.Values{}).status_(t, 404)

	// No more mail (nor inbox entries) for bob; carol still gets hers.
	r.chapter(alice, w, "Calm", false)
	r.runJobs()
	if n := len(sink.messages()); n != 1 {
		t.Errorf("%d messages after unsubscribing, want still 1", n)
	}
	if v := r.inbox(bob); v.Total != 1 {
		t.Errorf("bob's inbox after unsubscribing: %d entries", v.Total)
	}
	if v := r.inbox(carol); v.Total != 2 {
		t.Errorf("carol's inbox: %d entries, want 2", v.Total)
	}

	// A new work by alice reaches her followers (carol, inbox only).
	w2 := r.work(alice, "Second Light")
	if v := r.inbox(carol); v.Total != 3 || v.Items[0].Kind != store.InboxWork || v.Items[0].WorkID != w2.ID {
		t.Errorf("carol's inbox after a new work: %+v", v.Items[0])
	}

	// Mark read and delete through the page.
	id := fmt.Sprint(r.inbox(bob).Items[0].ID)
	// Another reader's entry is not found and stays as it was.
	other := r.browser()
	other.post("/login", url.Values{"login": {"carol"}, "password": {"correct horse"}}).status_(t, 200)
	for _, action := range []string{"read", "unread", "delete"} {
		other.post("/inbox", url.Values{"action": {action}, "id": {id}}).status_(t, http.StatusNotFound)
	}
	if v := r.inbox(bob); v.Total != 1 || v.Unread != 1 {
		t.Errorf("carol changed bob's inbox: %d entries, %d unread", v.Total, v.Unread)
	}
	reader.post("/inbox", url.Values{"action": {"read"}, "id": {id}}).status_(t, 200).has(t, "Marked as read.")
	if v := r.inbox(bob); v.Unread != 0 {
		t.Errorf("unread after marking: %d", v.Unread)
	}
	reader.post("/inbox", url.Values{"action": {"delete"}, "id": {id}}).status_(t, 200)
	if v := r.inbox(bob); v.Total != 0 {
		t.Errorf("entries after delete: %d", v.Total)
	}
}

func TestQueuedNotificationSurvivesRestart(t *testing.T) {
	sink := newSMTPSink(t)
	dir := testdb.Location(t)
	ctx := context.Background()
	r := openMailRig(t, dir, sink)
	alice := r.user("alice", true)
	bob := r.user("bob", true)
	w := r.work(alice, "Kept Promise")
	if _, err := r.site.Subscribe(ctx, bob, site.SubscriptionTarget{Kind: "work", Target: fmt.Sprint(w.ID)}); err != nil {
		t.Fatal(err)
	}
	r.chapter(alice, w, "Two", false)
	if n, _ := r.st.PendingJobs(ctx); n != 1 {
		t.Fatalf("%d pending jobs, want 1", n)
	}
	// The process stops before the runner sends anything.
	r.srv.Close()
	if err := r.st.Close(); err != nil {
		t.Fatal(err)
	}
	if len(sink.messages()) != 0 {
		t.Fatal("mail went out before the restart")
	}
	r2 := openMailRig(t, dir, sink)
	r2.runJobs()
	msgs := sink.messages()
	if len(msgs) != 1 || msgs[0].To[0] != "bob@example.test" {
		t.Fatalf("after restart: %+v", msgs)
	}
	if pm := parseMail(t, msgs[0].Data); !strings.Contains(pm.Subject, "Kept Promise") {
		t.Errorf("subject %q", pm.Subject)
	}
	if n, _ := r2.st.PendingJobs(ctx); n != 0 {
		t.Errorf("%d jobs still pending", n)
	}
}
