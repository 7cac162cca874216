package com.acme.inventory.core;

import java.util.Map;
import java.util.TreeMap;

/** The stock levels, by item. */
public final class Stock {
    private final Map<String, Integer> levels = new TreeMap<>();

    public Stock put(String item, int count) {
        levels.put(item, count);
        return this;
    }

    public int total() {
        return levels.values().stream().mapToInt(Integer::intValue).sum();
    }

    public String summary() {
        return levels.size() + " items, " + total() + " units";
    }
}
