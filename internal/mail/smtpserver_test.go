package mail

import (
	"bufio"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// received is one message a testSMTP server accepted.
type received struct {
	From string
	To   []string
	Data []byte
}

// Modes of a testSMTP server.
const (
	modeOK       = iota
	modeTempFail // 451 to MAIL FROM
	modeHangUp   // close the connection right after accepting it
	modeDataFail // 451 after the message data
)

// testSMTP is a small SMTP server on loopback that records what it receives.
type testSMTP struct {
	t    *testing.T
	ln   net.Listener
	mode atomic.Int32

	mu    sync.Mutex
	msgs  []received
	conns int
	wg    sync.WaitGroup
}

func newTestSMTP(t *testing.T) *testSMTP {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &testSMTP{t: t, ln: ln}
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(func() {
		ln.Close()
		s.wg.Wait()
	})
	return s
}

// URL is the smtp:// URL of the server.
func (s *testSMTP) URL() string { return "smtp://" + s.ln.Addr().String() }

func (s *testSMTP) setMode(m int) { s.mode.Store(int32(m)) }

func (s *testSMTP) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.msgs...)
}

func (s *testSMTP) connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func (s *testSMTP) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns++
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			if s.mode.Load() == modeHangUp {
				return
			}
			s.session(c)
		}()
	}
}

func (s *testSMTP) session(c net.Conn) {
	tp := textproto.NewConn(c)
	reply := func(line string) bool {
		return tp.PrintfLine("%s", line) == nil
	}
	if !reply("220 test.invalid ESMTP quire-test") {
		return
	}
	var cur received
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			reply("250-test.invalid hello " + arg)
			reply("250-8BITMIME")
			reply("250 PIPELINING")
		case "HELO":
			reply("250 test.invalid")
		case "MAIL":
			if s.mode.Load() == modeTempFail {
				reply("451 4.3.0 try again later")
				continue
			}
			cur = received{From: addrArg(arg)}
			reply("250 2.1.0 ok")
		case "RCPT":
			cur.To = append(cur.To, addrArg(arg))
			reply("250 2.1.5 ok")
		case "DATA":
			if cur.From == "" || len(cur.To) == 0 {
				reply("503 5.5.1 bad sequence")
				continue
			}
			reply("354 go ahead")
			data, err := readDot(tp.Reader.R)
			if err != nil {
				return
			}
			if s.mode.Load() == modeDataFail {
				reply("451 4.3.0 queue full")
				cur = received{}
				continue
			}
			cur.Data = data
			s.mu.Lock()
			s.msgs = append(s.msgs, cur)
			s.mu.Unlock()
			cur = received{}
			reply("250 2.0.0 queued")
		case "RSET":
			cur = received{}
			reply("250 ok")
		case "NOOP":
			reply("250 ok")
		case "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 5.5.2 not implemented")
		}
	}
}

// readDot reads DATA lines up to the lone ".", undoing dot-stuffing and
// keeping the CRLF line endings exactly as sent (so a test can check them).
func readDot(r *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		if line == ".\r\n" {
			return out, nil
		}
		line = strings.TrimPrefix(line, ".")
		out = append(out, line...)
	}
}

// addrArg takes the address out of "FROM:<a@b> BODY=8BITMIME".
func addrArg(arg string) string {
	_, rest, _ := strings.Cut(arg, ":")
	rest, _, _ = strings.Cut(strings.TrimSpace(rest), " ")
	return strings.Trim(rest, "<>")
}

// newSilentListener accepts connections and never answers; it returns its
// address.
func newSilentListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return ln.Addr().String()
}
