// Package ratelimit counts events per key in fixed one-minute windows, for
// login attempts and API requests.
package ratelimit

import (
	"sync"
	"time"
)

// Limiter allows up to PerMinute events per key per minute. A zero or
// negative PerMinute allows everything.
type Limiter struct {
	PerMinute int
	now       func() time.Time
	mu        sync.Mutex
	window    int64
	counts    map[string]int
}

// New returns a limiter.
func New(perMinute int) *Limiter {
	return &Limiter{PerMinute: perMinute, now: time.Now, counts: map[string]int{}}
}

// Allow counts one event for key and reports whether it is within the
// limit; when it is not, it also says how long until the window resets.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil || l.PerMinute <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	w := now.Unix() / 60
	if w != l.window {
		l.window = w
		clear(l.counts)
	}
	l.counts[key]++
	if l.counts[key] > l.PerMinute {
		return false, time.Unix((w+1)*60, 0).Sub(now)
	}
	return true, 0
}

// Exceeded reports whether key is already over the limit, without counting.
func (l *Limiter) Exceeded(key string) (bool, time.Duration) {
	if l == nil || l.PerMinute <= 0 {
		return false, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	w := now.Unix() / 60
	if w != l.window {
		return false, 0
	}
	if l.counts[key] >= l.PerMinute {
		return true, time.Unix((w+1)*60, 0).Sub(now)
	}
	return false, 0
}
