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
	if ok || wait != 30*time.Second {
		t.Fatalf("4th event: ok=%v wait=%v; want refused for 30s", ok, wait)
	}
	if ok, _ := l.Allow("b"); !ok {
		t.Fatal("another key was limited")
	}
	if over, _ := l.Exceeded("a"); !over {
		t.Fatal("Exceeded does not see the limit")
	}
	clock = clock.Add(31 * time.Second)
	if ok, _ := l.Allow("a"); !ok {
		t.Fatal("the next minute is still limited")
	}
	unlimited := New(0)
	for i := 0; i < 1000; i++ {
		if ok, _ := unlimited.Allow("x"); !ok {
			t.Fatal("0 must mean unlimited")
		}
	}
}
