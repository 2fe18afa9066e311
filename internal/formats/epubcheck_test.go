package formats_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"quire/internal/formats"
)

const epubcheckJar = "/usr/share/java/epubcheck.jar"

var epubcheckSummary = regexp.MustCompile(`Messages:\s*(\d+) fatals?\s*/\s*(\d+) errors?\s*/\s*(\d+) warnings?`)

// TestEPUBCheck runs the reference validator on books with CJK and
// right-to-left text, emoji, tables, lists, blockquotes, images and
// Markdown chapters: it must report no error and no warning. CI installs
// Debian's epubcheck; elsewhere the test skips.
func TestEPUBCheck(t *testing.T) {
	if _, err := os.Stat(epubcheckJar); err != nil {
		t.Skipf("epubcheck is not installed (%s missing; apt-get install epubcheck default-jre-headless)", epubcheckJar)
	}
	java, err := exec.LookPath("java")
	if err != nil {
		t.Skip("epubcheck needs java, which is not on PATH (apt-get install default-jre-headless)")
	}
	dir := t.TempDir()
	var wg sync.WaitGroup
	slots := make(chan struct{}, max(1, runtime.NumCPU()))
	for _, f := range fixtures() {
		var buf bytes.Buffer
		if err := formats.EPUB(&buf, f.work, f.chapters, site(f.work.ID)); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		path := filepath.Join(dir, f.name+".epub")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			// A short-lived JVM starts faster with the client compiler.
			out, _ := exec.Command(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", epubcheckJar, path).CombinedOutput()
			report := string(out)
			m := epubcheckSummary.FindStringSubmatch(report)
			if m == nil {
				t.Errorf("%s: epubcheck printed no summary:\n%s", f.name, report)
				return
			}
			if m[1] != "0" || m[2] != "0" || m[3] != "0" {
				var lines []string
				for _, l := range strings.Split(report, "\n") {
					if strings.HasPrefix(l, "FATAL") || strings.HasPrefix(l, "ERROR") || strings.HasPrefix(l, "WARNING") {
						lines = append(lines, l)
					}
				}
				t.Errorf("%s: epubcheck found %s fatal, %s errors, %s warnings:\n%s", f.name, m[1], m[2], m[3], strings.Join(lines, "\n"))
			}
		}()
	}
	wg.Wait()
}
