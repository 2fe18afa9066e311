package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"time"
)

const (
	dialTimeout = 10 * time.Second
	// sendTimeout bounds a whole SMTP conversation when ctx has no earlier
	// deadline.
	sendTimeout = 60 * time.Second
)

// NewSMTP returns a Sender for a URL like smtp://host:port or
// smtp://user:pass@host:port. smtp:// talks plain SMTP and upgrades with
// STARTTLS when the server offers it; smtps:// uses implicit TLS. PLAIN
// authentication is used only when credentials are given (and net/smtp
// refuses to send them unencrypted except to localhost). The port defaults
// to 25 for smtp and 465 for smtps. from is the envelope sender and the From
// header, e.g. "Quire <noreply@example.org>".
func NewSMTP(rawURL, from string) (Sender, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("smtp url: %w", err)
	}
	s := &smtpSender{}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		s.implicitTLS = true
	default:
		return nil, fmt.Errorf("smtp url %q: scheme must be smtp or smtps", u.Redacted())
	}
	s.host = u.Hostname()
	if s.host == "" {
		return nil, fmt.Errorf("smtp url %q: no host", u.Redacted())
	}
	port := u.Port()
	if port == "" {
		port = "25"
		if s.implicitTLS {
			port = "465"
		}
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	if s.from, err = parseFrom(from); err != nil {
		return nil, err
	}
	return s, nil
}

type smtpSender struct {
	addr, host  string
	user, pass  string
	implicitTLS bool
	from        *mail.Address
}

func (s *smtpSender) Send(ctx context.Context, m Message) error {
	msg, err := compose(s.from, m, time.Now())
	if err != nil {
		return err
	}
	to, _ := m.recipient()

	conn, err := (&net.Dialer{Timeout: dialTimeout}).DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return fmt.Errorf("smtp dial %s: %w", s.addr, err)
	}
	defer conn.Close()
	deadline := time.Now().Add(sendTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return err
	}
	// Cancelling ctx aborts a conversation in progress.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	if s.implicitTLS {
		tc := tls.Client(conn, &tls.Config{ServerName: s.host})
		if err := tc.HandshakeContext(ctx); err != nil {
			return fmt.Errorf("smtp tls %s: %w", s.addr, err)
		}
		conn = tc
	}
	err = s.converse(conn, to.Address, msg)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("%w (%w)", err, ctx.Err())
	}
	return err
}

// converse runs one SMTP session delivering msg to rcpt.
func (s *smtpSender) converse(conn net.Conn, rcpt string, msg []byte) error {
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", s.addr, err)
	}
	defer c.Close()
	if !s.implicitTLS {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(&tls.Config{ServerName: s.host}); err != nil {
				return fmt.Errorf("smtp starttls %s: %w", s.addr, err)
			}
		}
	}
	if s.user != "" {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("smtp: server does not offer AUTH but credentials were given")
		}
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return fmt.Errorf("smtp auth: %w", err)
		}
	}
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("smtp MAIL FROM: %w", err)
	}
	if err := c.Rcpt(rcpt); err != nil {
		return fmt.Errorf("smtp RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("smtp DATA: %w", err)
	}
	// The message is accepted; a failed QUIT does not undo that.
	_ = c.Quit()
	return nil
}
