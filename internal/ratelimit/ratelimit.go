// Package ratelimit counts events per key over a sliding minute, for login
// attempts and API requests.
//
// The count is the usual two-window estimate: this minute's events plus the
// previous minute's, weighted by how much of the previous minute still lies
// within the last sixty seconds. Unlike fixed windows, a client cannot make
// twice the limit by spending it on both sides of a minute's turn.
package ratelimit

import (
	"math"
	"sync"
	"time"
)

// Limiter allows up to PerMinute events per key in any sixty seconds. A
// zero or negative PerMinute allows everything.
type Limiter struct {
	PerMinute int
	now       func() time.Time
	mu        sync.Mutex
	window    int64          // the current minute, in minutes since 1970
	counts    map[string]int // events per key in the current minute
	previous  map[string]int // events per key in the minute before it
}

// New returns a limiter.
func New(perMinute int) *Limiter {
	return &Limiter{PerMinute: perMinute, now: time.Now, counts: map[string]int{}, previous: map[string]int{}}
}

// Allow counts one event for key when it is within the limit; when it is
// not, it counts nothing and says how long until one more would be. A
// client sending steadily over the limit gets the limit through.
func (l *Limiter) Allow(key string) (bool, time.Duration) {
	if l == nil || l.PerMinute <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.turn(now)
	if l.estimate(key, now)+1 > float64(l.PerMinute) {
		return false, l.wait(key, now)
	}
	l.counts[key]++
	return true, 0
}

// Exceeded reports whether one more event for key would be refused,
// without counting one.
func (l *Limiter) Exceeded(key string) (bool, time.Duration) {
	if l == nil || l.PerMinute <= 0 {
		return false, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.turn(now)
	if l.estimate(key, now)+1 > float64(l.PerMinute) {
		return true, l.wait(key, now)
	}
	return false, 0
}

// turn moves the windows on to the minute of now.
func (l *Limiter) turn(now time.Time) {
	w := now.Unix() / 60
	switch {
	case w == l.window:
	case w == l.window+1:
		l.previous, l.counts = l.counts, l.previous
		clear(l.counts)
		l.window = w
	default:
		clear(l.previous)
		clear(l.counts)
		l.window = w
	}
}

// elapsed is how far into the current minute now is, from 0 to 1.
func (l *Limiter) elapsed(now time.Time) float64 {
	return float64(now.UnixNano()-l.window*60*int64(time.Second)) / float64(time.Minute)
}

// estimate is the number of key's events in the sixty seconds up to now.
func (l *Limiter) estimate(key string, now time.Time) float64 {
	return float64(l.previous[key])*(1-l.elapsed(now)) + float64(l.counts[key])
}

// wait is how long until one more event for key would be allowed, if
// nothing else is counted before then.
func (l *Limiter) wait(key string, now time.Time) time.Duration {
	limit, p, c := float64(l.PerMinute), float64(l.previous[key]), float64(l.counts[key])
	var at float64 // the fraction of a minute, from this minute's start, when it is allowed
	switch {
	case c+1 <= limit && p > 0:
		// Later this minute, as the previous minute's events fall away.
		at = 1 - (limit-c-1)/p
	case c+1 <= limit:
		at = l.elapsed(now)
	default:
		// Next minute, as this minute's events fall away.
		at = 1 + max(0, 1-(limit-1)/c)
	}
	d := time.Duration(math.Ceil(at*60-l.elapsed(now)*60)) * time.Second
	return max(d, time.Second)
}
