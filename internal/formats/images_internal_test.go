package formats

import (
	"errors"
	"testing"
)

func TestCheckImageAddr(t *testing.T) {
	cases := []struct {
		addr          string
		allowLoopback bool
		ok            bool
	}{
		{"93.184.215.14:80", false, true},
		{"[2606:2800:21f:cb07:6820:80da:af6b:8b2c]:443", false, true},
		{"127.0.0.1:80", false, false},
		{"127.0.0.1:80", true, true},
		{"127.8.9.10:80", false, false},
		{"[::1]:80", false, false},
		{"[::1]:80", true, true},
		{"[::ffff:127.0.0.1]:80", false, false},
		{"10.1.2.3:80", true, false},
		{"172.16.0.1:80", true, false},
		{"192.168.1.1:80", true, false},
		{"[fd00::1]:80", true, false},
		{"169.254.169.254:80", true, false}, // cloud metadata
		{"[fe80::1]:80", true, false},
		{"224.0.0.1:80", true, false},
		{"[ff02::1]:80", true, false},
		{"0.0.0.0:80", true, false},
		{"[::]:80", true, false},
		{"100.64.0.1:80", true, false},
		{"255.255.255.255:80", true, false},
		{"[64:ff9b::a00:1]:80", true, false}, // NAT64 of 10.0.0.1
		{"[::ffff:10.0.0.1]:80", true, false},
		{"not-an-address:80", false, false},
	}
	for _, c := range cases {
		err := checkImageAddr("tcp", c.addr, c.allowLoopback)
		if (err == nil) != c.ok {
			t.Errorf("checkImageAddr(%s, loopback %v) = %v, want ok %v", c.addr, c.allowLoopback, err, c.ok)
		}
		if err != nil && !errors.Is(err, errForbiddenAddr) {
			t.Errorf("%s: error %v does not wrap errForbiddenAddr", c.addr, err)
		}
	}
	if checkImageAddr("udp", "93.184.215.14:53", false) == nil {
		t.Error("a UDP dial was allowed")
	}
}
