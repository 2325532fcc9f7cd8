"""What people and scripts see: text screens, JSON shapes, pictures and pages. No
file-system work beyond writing to the terminal."""
