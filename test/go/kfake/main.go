// kfake-broker: one franz-go kfake broker (github.com/twmb/franz-go/pkg/kfake, an in-memory
// fake Kafka) in its own process, for `npm run bench` (test/bench/peers/kfake.ts). Prints
// KFAKE_BOOTSTRAP=<host:port> once it listens; exits on stdin EOF, SIGINT or SIGTERM.
//
//	kfake-broker -port 0
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/twmb/franz-go/pkg/kfake"
)

func main() {
	port := flag.Int("port", 0, "port to listen on (0: any free port)")
	flag.Parse()
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.Ports(*port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "kfake:", err)
		os.Exit(1)
	}
	fmt.Printf("KFAKE_BOOTSTRAP=%s\n", c.ListenAddrs()[0])
	done := make(chan struct{}, 2)
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		done <- struct{}{}
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sig
		done <- struct{}{}
	}()
	<-done
	c.Close()
}
