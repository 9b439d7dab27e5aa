package io.dominoes.bench.harness;

import org.junit.jupiter.api.Test;

import java.util.List;

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
}
