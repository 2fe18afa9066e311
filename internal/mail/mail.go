// Package mail is composing and sending e-mail: MIME messages (UTF-8,
// quoted-printable, multipart/alternative when there is an HTML part) sent
// over SMTP or written to a log, and queued as durable jobs so a request
// never waits on (or loses mail to) a mail server.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"sort"
	"strings"
	"time"
)

// Message is one e-mail to one recipient.
type Message struct {
	To      string            `json:"to"`
	Subject string            `json:"subject"`
	Text    string            `json:"text"`              // plain-text body (required)
	HTML    string            `json:"html,omitempty"`    // optional HTML alternative
	Headers map[string]string `json:"headers,omitempty"` // optional extra headers, e.g. List-Unsubscribe
}

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrInvalid is wrapped by every error about a malformed message.
var ErrInvalid = errors.New("invalid message")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// reserved are the headers the composer writes itself; Message.Headers may
// not set them.
var reserved = map[string]bool{
	"From": true, "To": true, "Cc": true, "Bcc": true, "Subject": true,
	"Date": true, "Message-Id": true, "Mime-Version": true,
	"Content-Type": true, "Content-Transfer-Encoding": true,
	"Sender": true, "Return-Path": true,
}

// hasBreak reports whether s holds a character that could end a header line.
func hasBreak(s string) bool {
	return strings.ContainsAny(s, "\r\n\x00")
}

// Validate checks that the message can be sent safely: a single valid To
// address, a body, and no line breaks in the To, Subject or header values
// (header injection).
func (m Message) Validate() error {
	_, err := m.recipient()
	if err != nil {
		return err
	}
	if hasBreak(m.Subject) {
		return invalid("line break in subject")
	}
	if m.Text == "" {
		return invalid("empty text body")
	}
	for k, v := range m.Headers {
		if !validHeaderName(k) {
			return invalid("bad header name %q", k)
		}
		if reserved[textproto.CanonicalMIMEHeaderKey(k)] {
			return invalid("header %s may not be set", k)
		}
		if hasBreak(v) {
			return invalid("line break in header %s", k)
		}
	}
	return nil
}

// recipient parses and checks To.
func (m Message) recipient() (*mail.Address, error) {
	if hasBreak(m.To) {
		return nil, invalid("line break in recipient")
	}
	if strings.TrimSpace(m.To) == "" {
		return nil, invalid("no recipient")
	}
	a, err := mail.ParseAddress(m.To)
	if err != nil {
		return nil, invalid("recipient %q: %v", m.To, err)
	}
	return a, nil
}

// validHeaderName: printable ASCII without colon or space (RFC 5322 ftext).
func validHeaderName(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if c := k[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// parseFrom parses the From address given to a Sender.
func parseFrom(from string) (*mail.Address, error) {
	if hasBreak(from) {
		return nil, fmt.Errorf("from address: line break")
	}
	a, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("from address %q: %w", from, err)
	}
	return a, nil
}

// compose renders m as a complete RFC 5322 / MIME message with CRLF line
// endings. It validates m first.
func compose(from *mail.Address, m Message, now time.Time) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	to, _ := m.recipient()

	var b bytes.Buffer
	header := func(k, v string) {
		writeHeader(&b, k, v)
	}
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", messageID(from.Address))
	header("MIME-Version", "1.0")
	keys := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		header(textproto.CanonicalMIMEHeaderKey(k), mime.QEncoding.Encode("utf-8", m.Headers[k]))
	}

	if m.HTML == "" {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	header("Content-Type", mime.FormatMediaType("multipart/alternative", map[string]string{"boundary": mw.Boundary()}))
	b.WriteString("\r\n")
	for _, part := range []struct{ typ, content string }{
		{"text/plain; charset=utf-8", m.Text}, // least preferred first (RFC 2046)
		{"text/html; charset=utf-8", m.HTML},
	} {
		w, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {part.typ},
			"Content-Transfer-Encoding": {"quoted-printable"},
		})
		if err != nil {
			return nil, err
		}
		if err := writeQP(w, part.content); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	b.Write(body.Bytes())
	return b.Bytes(), nil
}

// writeQP writes s quoted-printable encoded, its line breaks as CRLF, ending
// with a line break.
func writeQP(w interface{ Write([]byte) (int, error) }, s string) error {
	qp := quotedprintable.NewWriter(w)
	if _, err := qp.Write([]byte(s)); err != nil {
		return err
	}
	if err := qp.Close(); err != nil {
		return err
	}
	if !strings.HasSuffix(s, "\n") {
		_, err := w.Write([]byte("\r\n"))
		return err
	}
	return nil
}

// writeHeader writes "Key: value" folded at spaces to keep lines within 78
// characters where it can.
func writeHeader(b *bytes.Buffer, k, v string) {
	const limit = 78
	line := k + ":"
	lineLen := len(line)
	b.WriteString(line)
	for _, word := range strings.Split(v, " ") {
		// Fold before a word that would overflow the line, unless it
		// would overflow a line of its own too.
		if word != "" && lineLen+1+len(word) > limit && 1+len(word) <= limit {
			b.WriteString("\r\n")
			lineLen = 0
		}
		b.WriteByte(' ')
		b.WriteString(word)
		lineLen += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// messageID makes a unique Message-ID in the sender's domain.
func messageID(fromAddr string) string {
	domain := "localhost"
	if i := strings.LastIndexByte(fromAddr, '@'); i >= 0 && i < len(fromAddr)-1 {
		domain = fromAddr[i+1:]
	}
	var r [16]byte
	_, _ = rand.Read(r[:])
	return fmt.Sprintf("<%d.%s@%s>", time.Now().UnixNano(), hex.EncodeToString(r[:]), domain)
}

// NewLog returns a Sender that writes the message (to, subject, text) to the
// logger at Info instead of sending it: for development and for archives
// without a mail server.
func NewLog(l *slog.Logger) Sender {
	if l == nil {
		l = slog.Default()
	}
	return logSender{l}
}

type logSender struct{ l *slog.Logger }

func (s logSender) Send(ctx context.Context, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	s.l.InfoContext(ctx, "mail", "to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}
