package io.dominoes.net.monitor;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectionTableTest
{
    @Test
    void bothDirectionsFindTheSameEntry()
    {
        final ConnectionTable table = new ConnectionTable(4);
        final long a = ConnectionTable.endpoint(0x0A000001, 40000);
        final long b = ConnectionTable.endpoint(0x0A000002, 80);
        table.put(a, b, 3);
        assertEquals(3, table.get(b, a));
        assertEquals(3, table.remove(b, a));
        assertEquals(-1, table.get(a, b));
    }

    @Test
    void agreesWithAHashMapUnderRandomPutRemoveChurn()
    {
        final ConnectionTable table = new ConnectionTable(64);
        final Map<String, Integer> model = new HashMap<>();
        final Random random = new Random(7);
        for (int i = 0; i < 200_000; i++)
        {
            // few distinct addresses and ports so keys collide and probe chains wrap
            final long a = ConnectionTable.endpoint(random.nextInt(8), random.nextInt(4));
            final long b = ConnectionTable.endpoint(random.nextInt(8) + 100, random.nextInt(4));
            final String key = Math.min(a, b) + "/" + Math.max(a, b);
            if (random.nextBoolean() && (model.size() < 64 || model.containsKey(key)))
            {
                table.put(a, b, i);
                model.put(key, i);
            }
            else
            {
                final Integer expected = model.remove(key);
                assertEquals(null == expected ? -1 : expected, table.remove(b, a));
            }
            assertEquals(model.size(), table.size());
            final Integer expected = model.get(key);
            assertEquals(null == expected ? -1 : expected, table.get(a, b));
        }
        for (final Map.Entry<String, Integer> e : model.entrySet())
        {
            final String[] parts = e.getKey().split("/");
            assertEquals(e.getValue(), table.get(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        }
    }
}
