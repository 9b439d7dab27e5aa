package io.dominoes.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JvmFlagsTest
{
    @Test
    void flagsComeFromTheFilteredPomProperty()
    {
        final List<String> flags = JvmFlags.load();
        assertTrue(flags.contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), flags.toString());
        assertTrue(flags.stream().noneMatch((f) -> f.contains("${")), flags.toString());
    }

    @Test
    void benchmarksRunWithoutAgronaBoundsChecksButTestsKeepThem()
    {
        assertTrue(JvmFlags.load().contains("-Dagrona.disable.bounds.checks=true"), JvmFlags.load().toString());
        // surefire's argLine has only dominoes.jvm.flags: an out-of-range buffer access still fails in tests
        assertNull(System.getProperty("agrona.disable.bounds.checks"));
    }
}
