package cli

import (
	"net/http"
	"net/http/pprof"
	"runtime"
)

// servePprof adds Go's profiles to the metrics listener (serve --pprof),
// and turns on the mutex and block profiles, which cost a little on every
// contended lock. The command line is left out: it may hold --db's password.
func servePprof(mux *http.ServeMux) {
	runtime.SetMutexProfileFraction(10)
	runtime.SetBlockProfileRate(100_000) // one sample per 100 µs blocked
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
}
