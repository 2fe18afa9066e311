package mail

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"
)

const testFrom = "Quire Archive <noreply@quire.test>"

func testMessage() Message {
	return Message{
		To:      "Zoë Reader <zoe@example.org>",
		Subject: "Nouveau chapitre : « Été à Paris » ✨",
		Text: "Bonjour Zoë,\n\n" +
			"Le chapitre 3 de « Été à Paris » est en ligne — bonne lecture !\n" +
			".a line that starts with a dot, and = signs = everywhere\n" +
			strings.Repeat("Une très longue ligne sans fin ", 8) + "\n",
		HTML:    "<p>Bonjour <b>Zoë</b>,</p>\n<p>Le chapitre 3 de « Été à Paris » est en ligne.</p>",
		Headers: map[string]string{"List-Unsubscribe": "<https://quire.test/unsubscribe?t=abc>"},
	}
}

// crlf turns the LF line breaks of a body as given into the CRLF of the wire.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// checkWire checks every line ends in CRLF and stays within the RFC 5322
// recommended 78 characters.
func checkWire(t *testing.T, data []byte) {
	t.Helper()
	if !bytes.HasSuffix(data, []byte("\r\n")) {
		t.Errorf("message does not end in CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 78 {
			t.Errorf("line %d is %d characters: %q", i+1, len(line), line)
		}
		for _, c := range []byte(line) {
			if c >= 0x80 {
				t.Errorf("line %d is not 7-bit: %q", i+1, line)
				break
			}
		}
	}
}

// decodePart reads a raw multipart part, checking its headers, and returns
// its quoted-printable-decoded content.
func decodePart(t *testing.T, p *multipart.Part, wantType string) string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
	if err != nil || mt != wantType || !strings.EqualFold(params["charset"], "utf-8") {
		t.Fatalf("part Content-Type = %q (%v), want %s; charset=utf-8", p.Header.Get("Content-Type"), err, wantType)
	}
	if cte := p.Header.Get("Content-Transfer-Encoding"); cte != "quoted-printable" {
		t.Fatalf("part Content-Transfer-Encoding = %q", cte)
	}
	b, err := io.ReadAll(quotedprintable.NewReader(p))
	if err != nil {
		t.Fatalf("decode quoted-printable: %v", err)
	}
	return string(b)
}

func TestSMTPSendsMIMEMessage(t *testing.T) {
	srv := newTestSMTP(t)
	s, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	m := testMessage()
	before := time.Now().Add(-time.Second)
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages, want 1", len(msgs))
	}
	got := msgs[0]
	if got.From != "noreply@quire.test" {
		t.Errorf("envelope from = %q", got.From)
	}
	if len(got.To) != 1 || got.To[0] != "zoe@example.org" {
		t.Errorf("envelope to = %q", got.To)
	}
	checkWire(t, got.Data)

	msg, err := mail.ReadMessage(bytes.NewReader(got.Data))
	if err != nil {
		t.Fatalf("parse message: %v", err)
	}
	h := msg.Header
	to, err := mail.ParseAddress(h.Get("To"))
	if err != nil || to.Address != "zoe@example.org" || to.Name != "Zoë Reader" {
		t.Errorf("To = %q → %v, %v", h.Get("To"), to, err)
	}
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil || from.Address != "noreply@quire.test" || from.Name != "Quire Archive" {
		t.Errorf("From = %q → %v, %v", h.Get("From"), from, err)
	}
	if raw := h.Get("Subject"); !strings.Contains(raw, "=?utf-8?") {
		t.Errorf("Subject not RFC 2047 encoded: %q", raw)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if err != nil || subj != m.Subject {
		t.Errorf("Subject decodes to %q (%v), want %q", subj, err, m.Subject)
	}
	date, err := h.Date()
	if err != nil || date.Before(before) || date.After(time.Now().Add(time.Second)) {
		t.Errorf("Date = %q → %v, %v", h.Get("Date"), date, err)
	}
	if id := h.Get("Message-ID"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@quire.test>") {
		t.Errorf("Message-ID = %q", id)
	}
	if v := h.Get("MIME-Version"); v != "1.0" {
		t.Errorf("MIME-Version = %q", v)
	}
	if v := h.Get("List-Unsubscribe"); v != m.Headers["List-Unsubscribe"] {
		t.Errorf("List-Unsubscribe = %q", v)
	}

	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" || params["boundary"] == "" {
		t.Fatalf("Content-Type = %q (%v)", h.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	p, err := mr.NextRawPart()
	if err != nil {
		t.Fatal(err)
	}
	if text := decodePart(t, p, "text/plain"); text != crlf(m.Text) {
		t.Errorf("text part = %q\nwant %q", text, crlf(m.Text))
	}
	p, err = mr.NextRawPart()
	if err != nil {
		t.Fatal(err)
	}
	if html := decodePart(t, p, "text/html"); strings.TrimSuffix(html, "\r\n") != crlf(m.HTML) {
		t.Errorf("html part = %q\nwant %q", html, crlf(m.HTML))
	}
	if _, err := mr.NextRawPart(); err != io.EOF {
		t.Errorf("after two parts: %v, want EOF", err)
	}
}

func TestSMTPTextOnly(t *testing.T) {
	srv := newTestSMTP(t)
	s, err := NewSMTP(srv.URL(), "noreply@quire.test")
	if err != nil {
		t.Fatal(err)
	}
	m := Message{To: "zoe@example.org", Subject: "Plain ASCII subject", Text: "Just text, ça va."}
	if err := s.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msgs := srv.messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages", len(msgs))
	}
	checkWire(t, msgs[0].Data)
	msg, err := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("Subject"); got != m.Subject {
		t.Errorf("Subject = %q", got)
	}
	mt, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if mt != "text/plain" || params["charset"] != "utf-8" || msg.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
		t.Errorf("Content-Type %q, Content-Transfer-Encoding %q", msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"))
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil || strings.TrimSuffix(string(body), "\r\n") != m.Text {
		t.Errorf("body = %q (%v)", body, err)
	}
}

func TestInvalidMessagesRefused(t *testing.T) {
	srv := newTestSMTP(t)
	s, err := NewSMTP(srv.URL(), testFrom)
	if err != nil {
		t.Fatal(err)
	}
	ok := Message{To: "zoe@example.org", Subject: "Hi", Text: "body"}
	cases := map[string]func(m *Message){
		"injection in To":           func(m *Message) { m.To = "zoe@example.org\r\nBcc: all@example.org" },
		"LF in To":                  func(m *Message) { m.To = "zoe@example.org\nBcc: all@example.org" },
		"injection in Subject":      func(m *Message) { m.Subject = "Hi\r\nBcc: all@example.org" },
		"bare CR in Subject":        func(m *Message) { m.Subject = "Hi\rthere" },
		"injection in header value": func(m *Message) { m.Headers = map[string]string{"List-Unsubscribe": "<x>\r\nBcc: all@example.org"} },
		"injection in header name":  func(m *Message) { m.Headers = map[string]string{"X-A: b\r\nBcc": "all@example.org"} },
		"header name with space":    func(m *Message) { m.Headers = map[string]string{"X A": "b"} },
		"reserved header":           func(m *Message) { m.Headers = map[string]string{"bcc": "all@example.org"} },
		"invalid address":           func(m *Message) { m.To = "not an address" },
		"address without domain":    func(m *Message) { m.To = "zoe@" },
		"two addresses":             func(m *Message) { m.To = "a@example.org, b@example.org" },
		"empty To":                  func(m *Message) { m.To = "" },
		"empty body":                func(m *Message) { m.Text = "" },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			m := ok
			mutate(&m)
			if err := m.Validate(); !errors.Is(err, ErrInvalid) {
				t.Errorf("Validate = %v, want ErrInvalid", err)
			}
			if err := s.Send(context.Background(), m); !errors.Is(err, ErrInvalid) {
				t.Errorf("Send = %v, want ErrInvalid", err)
			}
			if err := NewLog(slog.New(slog.DiscardHandler)).Send(context.Background(), m); !errors.Is(err, ErrInvalid) {
				t.Errorf("log Send = %v, want ErrInvalid", err)
			}
		})
	}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid message: %v", err)
	}
	if n := srv.connections(); n != 0 {
		t.Errorf("invalid messages opened %d SMTP connections", n)
	}
}

func TestNewSMTPConfig(t *testing.T) {
	for _, tc := range []struct {
		url, from string
		ok        bool
	}{
		{"smtp://mail.example.org", "noreply@quire.test", true},
		{"smtp://user:pa%40ss@mail.example.org:587", "noreply@quire.test", true},
		{"smtps://mail.example.org", "Quire <noreply@quire.test>", true},
		{"http://mail.example.org", "noreply@quire.test", false},
		{"smtp://", "noreply@quire.test", false},
		{"smtp://mail.example.org", "not an address", false},
		{"smtp://mail.example.org", "noreply@quire.test\r\nBcc: x@y.z", false},
	} {
		s, err := NewSMTP(tc.url, tc.from)
		if (err == nil) != tc.ok {
			t.Errorf("NewSMTP(%q, %q) = %v, want ok=%v", tc.url, tc.from, err, tc.ok)
			continue
		}
		if err != nil {
			continue
		}
		ss := s.(*smtpSender)
		switch tc.url {
		case "smtp://mail.example.org":
			if ss.addr != "mail.example.org:25" || ss.implicitTLS || ss.user != "" {
				t.Errorf("%s: %+v", tc.url, ss)
			}
		case "smtps://mail.example.org":
			if ss.addr != "mail.example.org:465" || !ss.implicitTLS {
				t.Errorf("%s: %+v", tc.url, ss)
			}
		default:
			if ss.addr != "mail.example.org:587" || ss.user != "user" || ss.pass != "pa@ss" {
				t.Errorf("%s: %+v", tc.url, ss)
			}
		}
	}
}

func TestSMTPHonoursContext(t *testing.T) {
	// A server that accepts and then says nothing: Send must give up when
	// ctx ends instead of hanging.
	srv := newTestSMTP(t)
	srv.setMode(modeHangUp)
	s, _ := NewSMTP(srv.URL(), testFrom)
	if err := s.Send(context.Background(), Message{To: "a@example.org", Text: "x"}); err == nil {
		t.Fatal("Send to a server that hangs up succeeded")
	}

	ln := newSilentListener(t)
	s, _ = NewSMTP("smtp://"+ln, testFrom)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := s.Send(ctx, Message{To: "a@example.org", Text: "x"})
	if err == nil {
		t.Fatal("Send to a silent server succeeded")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Send took %v after its context ended", d)
	}
}

func TestLogSender(t *testing.T) {
	var buf bytes.Buffer
	s := NewLog(slog.New(slog.NewTextHandler(&buf, nil)))
	if err := s.Send(context.Background(), testMessage()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"level=INFO", "zoe@example.org", "Été à Paris", "Bonjour Zoë"} {
		if !strings.Contains(out, want) {
			t.Errorf("log output lacks %q:\n%s", want, out)
		}
	}
}
