package ratelimit

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	clock := time.Date(2026, 1, 1, 10, 0, 30, 0, time.UTC)
	l := New(3)
	l.now = func() time.Time { return clock }
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("event %d refused", i+1)
		}
	}
	ok, wait := l.Allow("a")
	if ok || wait <= 30*time.Second || wait > 90*time.Second {
		t.Fatalf("4th event: ok=%v wait=%v; want refused for more than the rest of the minute", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key was limited")
	}
	if over, _ := l.Exceeded("a"); !over {
		t.Fatal("Exceeded does not see the limit")
	}
	// A minute later the four events have fallen away.
	clock = clock.Add(61 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("a minute later it is still limited")
	}
	unlimited := New(0)
	for i := 0; i < 1000; i++ {
		if ok, _ := unlimited.Allow("x"); !ok {
			t.Fatal("0 must mean unlimited")
		}
	}
}

// The turn of a minute does not reset the count: three events at 10:00:59
// leave no room for a fourth at 10:01:00, as fixed windows did.
func TestNoBurstAcrossTheMinute(t *testing.T) {
	clock := time.Date(2026, 1, 1, 10, 0, 59, 0, time.UTC)
	l := New(3)
	l.now = func() time.Time { return clock }
	for i := 0; i < 3; i++ {
		if ok, _ := l.Allow("a"); !ok {
			t.Fatalf("event %d refused", i+1)
		}
	}
	clock = clock.Add(time.Second)
	ok, wait := l.Allow("a")
	if ok {
		t.Fatal("a fourth event one second later, across the minute, was allowed")
	}
	// The refusal says when the next event is allowed, and it is.
	clock = clock.Add(wait)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatalf("refused again after the %v it said to wait", wait)
	}
}

// Over any sixty seconds, a client sending steadily gets at most the limit
// (and one more, from the estimate's rounding) through.
func TestSteadyClientGetsTheLimit(t *testing.T) {
	clock := time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)
	l := New(10)
	l.now = func() time.Time { return clock }
	var allowed []time.Time
	for i := 0; i < 600; i++ { // one a second for ten minutes
		if ok, _ := l.Allow("k"); ok {
			allowed = append(allowed, clock)
		}
		clock = clock.Add(time.Second)
	}
	for i := range allowed {
		n := 0
		for _, at := range allowed[i:] {
			if at.Sub(allowed[i]) < time.Minute {
				n++
			}
		}
		if n > 11 {
			t.Fatalf("%d events allowed in the minute from %v, limit 10", n, allowed[i])
		}
	}
	if len(allowed) < 10*9 {
		t.Fatalf("only %d of 600 allowed over ten minutes: the limiter starves a steady client", len(allowed))
	}
}
