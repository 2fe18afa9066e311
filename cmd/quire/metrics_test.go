package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func getForMetrics(t *testing.T, client *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestMetricsOnTheirOwnListener: /metrics is not answered on the public
// port, only on --metrics-addr (QUIRE_METRICS_ADDR), which is loopback by
// default; an empty address turns it off, and a taken one is an error at
// start rather than a node without metrics.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	t.Parallel()
	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()

	srv := startServerForCLI(t, 30*time.Second, nil, "--data", t.TempDir())
	if code, _ := getForMetrics(t, client, srv.URL+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the public port: %d, want 404", code)
	}
	if srv.MetricsURL == "" || !strings.HasPrefix(srv.MetricsURL, "http://127.0.0.1:") {
		t.Fatalf("no metrics listener announced on loopback: %q\n%s", srv.MetricsURL, srv.stdout)
	}
	code, body := getForMetrics(t, client, srv.MetricsURL)
	if code != http.StatusOK || !strings.Contains(body, "quire_index_works") || !strings.Contains(body, "quire_http_requests_total") {
		t.Errorf("GET %s: %d\n%s", srv.MetricsURL, code, body)
	}
	// The metrics listener serves nothing else.
	if code, _ := getForMetrics(t, client, strings.TrimSuffix(srv.MetricsURL, "/metrics")+"/works"); code != http.StatusNotFound {
		t.Errorf("the metrics listener answered /works: %d", code)
	}

	// From the environment, like every flag; empty turns it off.
	off := startServerForCLI(t, 30*time.Second, []string{"QUIRE_METRICS_ADDR="}, "--data", t.TempDir())
	if off.MetricsURL != "" {
		t.Errorf("QUIRE_METRICS_ADDR= still started a metrics listener at %s", off.MetricsURL)
	}
	if code, _ := getForMetrics(t, client, off.URL+"/metrics"); code != http.StatusNotFound {
		t.Errorf("GET /metrics on the public port with metrics off: %d, want 404", code)
	}

	// A taken address stops the start with a message that names the flag.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	res := runQuireForCLI(t, nil, "serve", "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--metrics-addr", ln.Addr().String())
	if res.Code == 0 || !strings.Contains(res.Stderr, "--metrics-addr") {
		t.Errorf("serve on a taken --metrics-addr: exit %d\n%s", res.Code, res.Stderr)
	}
}
